"""Stateful stand-ins for the AWS APIs moto lacks, served by testenv.aws.emulator.

Each module exposes handle(handler, request) -> bool (answer the request, or leave it to moto),
advance() (apply every state change that is due: state is computed lazily from timestamps, never by
a background thread), reset(), control(handler, method, path, query, body) -> bool for its routes
under /__emulator__/, and state(...) for debugging. common.py holds what they share.
"""
