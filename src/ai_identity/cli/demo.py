"""``ai-identity demo``: the main job end to end on the embedded default, with a short human summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ai_identity.cli import app
from ai_identity.cli.platform import out, progress_bar


@app.command()
def demo(
    users: Annotated[int, typer.Option("--users", help="How many synthetic users.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Generator seed.")] = 1,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the demo platform (replaced).")] = Path(
        "demo-platform"
    ),
) -> None:
    """Generate a synthetic platform, build every identity, evaluate against the hidden truth, show one."""
    from ai_identity.analyse.persona import view
    from ai_identity.evaluation import FACETS, evaluate
    from ai_identity.pipeline import build
    from ai_identity.store.identities import IdentityStore
    from ai_identity.synth.writer import DEFAULT_AS_OF, generate

    t0 = time.perf_counter()
    with progress_bar() as tick:
        gen = generate(out_dir, users, seed, DEFAULT_AS_OF, force=True, progress=tick)
    out.print(
        f"1. generated {gen.users:,} users and {gen.events:,} events in {gen.seconds:.1f} s "
        f"({gen.shares['zh_users']:.0%} Chinese-speaking; settings contradict behaviour for "
        f"{gen.shares['users_whose_settings_contradict_behaviour']:.0%})"
    )
    with progress_bar() as tick:
        summary = build(out_dir, progress=tick)
    out.print(
        f"2. built {summary.built:,} identities ({summary.partial:,} partial, {summary.stubs:,} stubs) "
        f"in {summary.seconds:.1f} s"
    )
    ev = evaluate(out_dir)
    t = Table("facet", "identity", "naive baseline", title="3. accuracy against the generator's hidden truth")
    for f in FACETS:
        t.add_row(f, f"{ev.facets[f]:.3f}", f"{ev.baseline_facets[f]:.3f}")
    t.add_row("[bold]overall[/]", f"[bold]{ev.overall:.3f}[/]", f"{ev.baseline:.3f}")
    out.print(t)
    if ev.personalization is not None:
        out.print(
            f"   personalization (own identity ranked first on a held-out 20%): {ev.personalization:.1%}"
        )
    store = IdentityStore(Path(summary.store))
    try:
        uid = next(u for u in store.user_ids() if not store.get(u).stub)
        card = view(store.get(uid), "public")
    finally:
        store.close()
    out.print(
        f"4. user {uid} as the public sees them:\n   {card.persona.summary_en if card.persona else ''}\n"
        f"   {card.persona.summary_zh if card.persona else ''}"
    )
    out.print(
        f"\nIdentities: {summary.store}\nTry: ai-identity show {uid} --platform {out_dir} --evidence   "
        f"(or --json --viewer public)\nDone in {time.perf_counter() - t0:.0f} s."
    )
