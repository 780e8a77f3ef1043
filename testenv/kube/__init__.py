"""A test API server that behaves like kube-apiserver v1.28 for what Lifeboat uses: custom resources
from CRDs, Events (core/v1 and events.k8s.io/v1), Leases and Namespaces; watches, pagination,
patches and server-side apply, schema and CEL validation, Tables and discovery; plus a control API
for faults. Standard library only, with cel-python for CEL rules and PyYAML for YAML bodies.

Start it with `python3 -m testenv.kube --port 0` (see __main__.py); testenv/README.md has the details.
"""
