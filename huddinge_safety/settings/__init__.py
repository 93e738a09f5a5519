"""Settings per environment: ``base`` is shared, ``dev``, ``test`` and
``production`` each import it and change what differs."""
