"""Word lists the skill taxonomy matcher and its build script share (data, not logic).

- ``COMMON_WORDS``: ordinary English words. They are never turned into aliases by the build, and a token
  that is one of them is never fuzzy-matched to a skill ("docket" is not a typo of "Docker").
- ``AMBIGUOUS``: normalised surface forms that are skill names *and* everyday words ("swift", "spark",
  "excel", "word"). They count only when written with a capital letter or inside a list of skills.
- ``LIST_ONLY``: forms too short or too name-like to trust alone ("R", "C", "Julia"). They count only when
  written exactly as the canonical form and standing in a list next to another skill.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMMON_WORDS: frozenset[str] = _words(
    """
    a about above across act action active activities activity actual add added address after again against
    agency agent ago agree ahead aid aim air all allow almost alone along already also always among amount
    analysis and annual another answer any anything apply approach area areas around art article as ask
    assist at attend available award away back bad base based basic be because become been before began
    begin being below best better between big bill board body book both brand bring build building built
    business but buy by call came campaign can capital care career carry case cause center central certain
    chain chance change changes channel charge check child choice city claim class clean clear client
    close code college come common company complete concern concur condition consider contact content
    continue control core cost could country course cover create credit current customer daily data date
    day deal decide deep degree deliver department design detail develop development did different direct
    director do docket does doing done down draft drive during each early east easy edit effect effort
    either else end energy engine english enough ensure enter entire environment even event events ever
    every exact example excels expert experience experienced explain express extra face fact field figure
    file final find first fit focus follow for force form forms former forward found free friend from
    front full fund future gain general get give given global go goal good great group grow growth guide
    had half hand handle happen hard has have he head health hear help her here high him his history hold
    home hope hour house how however human idea ideas if image impact important improve in include
    including increase industry information inside instead interest international into issue issues it
    item its job join just keep key kind know knowledge large last late later lead leader leading learn
    least leave left legal less let level life light like line list little live local long look lot low
    made main maintain major make manage manager many market master matter may me mean meet meeting
    member members method might mind model modern money month more most move much must my name national
    nature near need network never new news next night no none normal not note nothing notion now number
    object offer office officer often old on once one online only open operation order other our out
    outlook over own page paper part party pass past pay people per perform period person phone place
    plan planning plant play point policy position possible power practice present press price process
    produce product program project provide public purpose put quality question quick quite range rate
    rather reach read ready real reason receive record region related report require research resource
    result results return review right rise role room rule run safe sale same save say school science
    score sea season second section see seek sell send senior series serve service services set several
    share sheets she short should show side sign simple since single site size skill skills small so
    social some someone something sort source space speak special staff stage stand start state step
    still stock stop store story strategy strong structure student study subject success such summer
    support sure system table take talk target task tasks team teams tell term test than that the their
    them then there these they thing think this those though through time title to today together too
    tool tools top total toward track trade training travel treat true try turn type under unit until up
    upon us use used user using value various very view visit vision voice wait walk want way we week
    well were west what when where whether which while who whole why will with within without word words
    work worked worker working world would write writing year years yes yet you young your
    addition personal persons patient patients published grade division video visual studio studios dynamic
    dynamics inter paint domain logging willing transaction inventory economic window informatics sites
    exchange notes cloud middleware flex graphics productivity simulation scheduling billing statistical
    reporting email mobile web online digital portal server servers network networks security
    spelling parents caching backing branching investors innovative monitoring conference performed
    preservation preserving transition coordinator collaborative analytical compliant concurrent resilient
    automobile illustrate illustrated simplified inversion creatively innovator scale sport audio topic demos
    负责 项目 工作 经验 公司 参与 能力 熟悉 熟练 掌握 了解 使用 相关 主要 进行 完成 优秀 良好 团队 业务 管理
    """
)

AMBIGUOUS: frozenset[str] = _words(
    """
    go rust swift dart elixir flask flutter express electron torch rails lean excel jest cypress eclipse
    premiere shell maven spark hive snowflake word access outlook slack zoom chef puppet notion sketch
    blender unity spring react bootstrap canva keynote tableau presto solidity selenium perl ansible
    angular ember backbone loom seesaw blink ada quicken compass prism drupal moodle ruby
    san pos asp safe solid
    """
)

LIST_ONLY: frozenset[str] = _words("r c d julia maya cassandra scratch")
