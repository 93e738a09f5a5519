"""Adds the collaboration's demo data to ``load_demo`` (through
``followups.extensions.demo_loaders``, so ``followups`` never imports this
app)."""


def register_demo() -> None:
    """Appends ``load_collaboration_demo`` to the demo loaders, once however
    often it is called."""
    from followups import extensions

    from .demo import load_collaboration_demo

    if load_collaboration_demo not in extensions.demo_loaders:
        extensions.demo_loaders.append(load_collaboration_demo)
