"""Word lists for person names. Data only; :mod:`.names` holds the logic."""

from __future__ import annotations

from typing import Final


def _words(text: str) -> list[str]:
    return text.split()


# The common single-character surnames (about 97% of the population) and the compound ones.
ZH_SURNAMES: Final = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向"
    "汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
    "窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
    "苑迟邝楚"
)
ZH_COMPOUND_SURNAMES: Final = frozenset(
    _words(
        "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 令狐 夏侯 宇文 司徒 澹台 轩辕 端木 独孤 南宫 呼延"
    )
)
# Never the first given-name character: function words and punctuation-like characters.
ZH_STRONG_STOP: Final = frozenset(
    "的是在了和与及或从于为将已会可能也都就对把被让给向说请电手邮联住地址工作毕业来自目担任先女士老师经理总"
    "性别年龄岁男今现负责应聘求职曾主要部门公司项产品技术销售市场个位名号码微信身份证人员着过这那你我他她们等"
    "事处班入出期籍贯族婚姻历专特长简"
)
# Never the second given-name character (a wider set: the first character of what usually follows a name).
ZH_STOP: Final = ZH_STRONG_STOP | frozenset("学生日中上下民一二三四五六七八九十已共收")
ZH_CUES: Final = (
    "姓名", "名字", "联系人", "负责人", "候选人", "推荐人", "面试官", "申请人", "收件人",
    "收货人", "紧急联系人", "我是", "我叫", "本人", "签名", "署名", "导师", "经办人",
    "求职者", "应聘者", "持卡人", "户名", "开户名", "介绍人", "证明人", "联系", "抄送",
    "转交", "交给", "经理", "主管", "总监", "由", "感谢", "谢谢",
)  # fmt: skip
# Words that start with a surname character but are not names ("程序员", "方式", "毕业").
ZH_NOT_NAMES: Final = frozenset(
    _words(
        """程序 高级 安全 方式 方面 方向 方案 房子 金融 文化 周末 周期 任务 江湖 高中 高校 常规 全栈 全职
    应届 管理 项目 石油 黄金 毛利 白领 双方 时间 明天 明年 于是 向量 余额 万元 成本 成都 毕业 钱包
    成绩 成果 成员 成长 简历 简单 车辆 路由 连续 商务 商业 商品 沙箱 包括 包含 关于 关键 关系 师傅
    童年 华为 宁可 尚未 温度 康复 文档 文件 文字 武汉 云南 司机 全部 全面 全国 应用 应该 席位 景点
    党员 宫殿 费用 冷静 卫生 米饭 柏林 宗旨 桂林 时候 时期 穆斯 农业 古代 吉他 简洁 项链 连接 芦苇
    麦克 计划 容器 安装 安排 安卓 齐全 易用 乔治 庞大 颜色 倪匡 庄园 章节 鲁棒 岳父 翟某 殷勤 申请
    欧洲 耿直 兰州 焦点 俞某 左右 柳树 甘肃 祝福 宁波 符合 舒适 阮某 柯南 纪律 梅花 凌晨 单位 单元
    季度 裴某 霍乱 涂料 苗条 谷歌 盛大 曲线 翁某 骆驼 蓝色 路径 游戏 辛苦 管道 柴油 蒙古 鲍鱼 华南
    华北 华东 喻某 祁连 蒲公 房间 滕州 屈服 饶恕 解决 解析 艾滋 尤其 阳光 明确 明显 高效 高性 高并
    高可 黄色 马上 马克 朱红 胡同 郭某 林业 罗马 郑州 梁山 谢谢 宋体 唐朝 许多 许可 韩国 冯某 邓某
    曹操 彭湃 曾经 肖像 田野 董事 袁某 潘多 于是 蒋某 蔡某 余下 杜绝 叶子 程度 苏州 魏晋 吕梁 丁点
    任何 任意 沈阳 姚某 卢浮 姜某 崔某 钟表 钟点 谭某 陆续 陆地 汪洋 范围 范例 金额 金属 石家 廖某
    贾某 夏天 夏季 韦某 付款 付费 傅某 方法 方便 白天 白色 邹某 孟买 熊猫 秦朝 邱某 江苏 江西 尹某
    薛某 闫某 段落 雷达 侯某 龙头 史上 陶瓷 黎明 贺卡 顾客 顾问 毛病 郝某 龚某 邵某 万一 钱款 严格
    严重 覃某 武器 戴帽 莫名 孔子 向上 向下 汤圆 常用 常见 温暖 康乐 施工 牛奶 樊某 葛某 邢台 安全
    齐心 易于 乔迁 伍某 倪某 庄重 聂某 章程 鲁迅 岳阳 殷实 詹某 申报 欧元 关注 关闭 兰花 焦虑 俞某
    左边 柳州 甘心 祝贺 包装 宁愿 尚且 符号 舒服 柯某 纪念 梅州 童话 凌驾 毕竟 单独 单个 季节 裴某
    霍金 涂抹 苗头 谷物 盛行 曲目 翁婿 冉冉 骆某 蓝天 路线 游泳 辛勤 靳某 管控 柴某 蒙面 鲍某 华丽
    喻意 祁某 蒲某 房产 滕某 屈指 饶有 解释 牟利 艾某 尤为 阳台 时间 穆某 农村 司法 卓越 古老 吉祥
    缪某 简要 车间 项链 连锁 芦某 麦当 褚某 娄某 窦某 戚某 岑某 景色 党委 宫廷 费时 卜某 冷却 晏某
    席卷 卫星 米兰 柏某 宗教 瞿某 桂花 全球 佟某 应对 臧某 闵行 苟且 邬某 边界 边缘 卞某 姬某 师范
    仇恨 栾某 隋朝 商城 商量 刁难 沙发 荣誉 巫术 寇某 桑拿 郎中 甄别 丛林 仲裁 虞某 敖某 巩固 明白
    佘山 池塘 查询 查看 查找 麻烦 苑某 迟到 邝某 楚国 王者 王国 李子 张开 张贴 刘海 陈述 陈列 杨树
    黄昏 赵某 吴某 周围 周边 徐徐 孙子 马路 朱某 胡说 何时 何必 高兴 高度 林立 罗列 郑重 梁柱 谢绝
    宋某 唐突 许愿 韩某"""
    )
)
ZH_HONORIFICS: Final = ("先生", "女士", "老师", "同学", "教授", "博士", "律师", "医生", "小姐", "收")
ZH_VERB_CUES: Final = (
    "负责", "加入", "毕业于", "担任", "曾任", "现任", "表示", "认为", "拥有", "擅长",
    "精通", "就职于", "任职于", "从事", "作为", "带领", "主导",
)  # fmt: skip
# A character that is also a surname but, right before another surname, is a preposition or verb.
ZH_AMBIGUOUS_LEAD: Final = frozenset("向和与于同从给由对被把是叫找问跟及将为请致")

EN_LABEL_CUES: Final = (
    "name", "full name", "contact", "contact person", "candidate", "applicant", "reference", "referee",
    "recruiter", "interviewer", "hiring manager", "manager", "supervisor", "author", "signed", "from", "attn",
    "attention", "emergency contact", "cc", "to", "mentor", "reviewer", "owner", "assignee",
)  # fmt: skip
EN_PHRASE_CUES: Final = (
    "my name is", "i am", "i'm", "this is", "dear", "hi", "hello", "contact", "ask for", "reach out to",
    "thanks to", "according to", "reports to", "report to", "signed by", "written by", "referred by",
    "managed by", "led by", "introduced by", "call", "email", "cc",
)  # fmt: skip
EN_TITLES: Final = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof")
EN_SIGNOFFS: Final = (
    "regards",
    "sincerely",
    "thanks",
    "thank you",
    "cheers",
    "best",
    "yours",
    "respectfully",
)

# Capitalised words that follow name cues but are not names.
EN_NOT_NAMES: Final = frozenset(
    _words(
        """The A An This That These Those It Its I We You He She They All Everyone Team Sir Madam Hiring
    Manager Senior Junior Lead Principal Staff Engineer Developer Software Data Product Project
    Program Designer Analyst Scientist Director Head Chief Officer Intern Recruiter Recruiting
    Department Company Inc Ltd Co Corp Group There Here Looking Interested Currently Working
    Available Happy Glad Writing Applying Excited Sorry Sure From At In On For To With By Of And Or
    But Not No Yes Please Thanks Thank Best Regards Sincerely Cheers Yours Kind Warm Mr Mrs Ms Miss
    Dr Prof Customer Support Sales Admin Service Services HR Human Resources Python Java Go Rust
    Google Microsoft Amazon Apple Meta Alibaba Tencent Baidu ByteDance Huawei Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Street Road Avenue Name Contact Phone Email Mail Address
    Candidate Resume CV University College School Institute Beijing Shanghai Shenzhen Hangzhou China
    USA UK US Phone Mobile Tel Fax Website Online Office Remote Full Part Time New Old Good Great
    Hello Hi Dear Order Invoice Number No ID Version Release Update Note Notes Summary Experience
    Education Skills World Us Me Center Centre Everyone Folks Guys Friends Details Information Info
    Again Now Today Tomorrow Later Back Out Up Support Desk Front Reception Welcome Home About
    Careers Jobs"""
    )
)
EN_FIRST_NAMES: Final = frozenset(
    _words(
        """James John Robert Michael David Richard Joseph Thomas Charles Daniel Matthew Anthony Steven Paul
    Andrew Joshua Kevin Brian George Edward Ryan Jacob Jason Eric Jonathan Justin Brandon Benjamin
    Samuel Gregory Alexander Patrick Jack Dennis Tyler Aaron Henry Adam Nathan Peter Kyle Ethan Noah
    Lucas Oliver Liam Owen Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen
    Nancy Lisa Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda
    Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Amy Angela Anna Emma Olivia Sophia
    Isabella Mia Charlotte Amelia Chloe Hannah Rachel Megan Lauren Natalie Victoria Julia Alice
    Claire Helen Kate Lucy Sophie Zoe Ella Nora Leah Maya Priya Aisha Fatima Carlos Miguel Diego
    Luis Juan Pedro Sofia Elena Marco Luca Hans Lars Sven Ingrid Yuki Kenji Hiroshi Ivan Dmitri Olga
    Omar Ahmed Ali Raj Arjun Anil Sunita Kim Jun Min Tom Tim Ben Sam Dan Joe Max Leo Ian Alan Frank
    Gary Larry Scott Jeffrey Raymond Jerry Walter Harold Carl Arthur Roger Keith Jeremy Terry Sean
    Christian Austin Albert Jesse Bruce Philip Randy Vincent Russell Louis Bobby Johnny Bradley
    Logan Evelyn Abigail Harper Avery Scarlett Madison Lily Aria Layla Riley Nova Eleanor Hazel
    Violet Aurora Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather
    Diane Ruth Julie Joyce Virginia Kelly Christina Lauren Joan Evelyn Judith Andrea Cheryl Teresa
    Gloria Sara Janice Jean Alice Madison Doris Kathryn Diana Marie Emma Irene Rose Daisy Iris Fiona
    Grace Ava"""
    )
)
EN_PINYIN_SURNAMES: Final = frozenset(
    _words(
        """Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo Lin Gao Luo Zheng Liang Xie
    Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Yuan Pan Jiang Cai Yu Du Ye Cheng Su Wei Lu
    Ding Ren Shen Yao Cui Zhong Tan Fan Jin Shi Liao Jia Xia Fu Fang Bai Zou Meng Xiong Qin Qiu Yin
    Xue Yan Duan Lei Hou Long Tao He Mao Gu Wan Qian Kong Wen Kang Niu Qiao Pang Zhuang Nie Zhai
    Ouyang Situ Shangguan"""
    )
)
