"""The grid's registries 一标三实: standard addresses and houses, people, tenancies, units; personal data under PIPL."""
