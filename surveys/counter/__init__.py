"""At the counter: the kiosk with faces, paper and counter-interview entry, and
answer files imported from another survey tool. Every answer goes through
`surveys.fieldwork.services.record_response` / `record_responses`."""
