"""The catalogue's part of the demo: the club's model charters."""

from servicecharters.catalogue.services import load_models


def seed_demo(stdout) -> None:
    created = load_models()
    if created:
        stdout.write(f"Modelli di carta dei servizi: {len(created)}\n")
