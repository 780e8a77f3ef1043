"""URL → request info, as k8s.io/apiserver's RequestInfoFactory reads it:

  /api/v1/...  and  /apis/GROUP/VERSION/...
  [namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]]   (namespaces/NAME[/status|/finalize] is a namespace)
  watch/... (the old watch prefix)

and the verb from the method plus whether a name is present (`?watch=` makes a list a watch).
"""
from urllib.parse import unquote


class Route:
    def __init__(self, group, version, resource, namespace=None, name="", subresource="", watch_prefix=False):
        self.group, self.version, self.resource = group, version, resource
        self.namespace, self.name, self.subresource = namespace, name, subresource
        self.watch_prefix = watch_prefix

    def verb(self, method, query):
        watching = self.watch_prefix or (query.get("watch", [""])[0].lower() in ("1", "true"))
        if method == "GET":
            if watching:
                return "watch"
            return "get" if self.name else "list"
        if method == "POST":
            return "create" if not self.name else None
        if method == "PUT":
            return "update" if self.name else None
        if method == "PATCH":
            return "patch" if self.name else None
        if method == "DELETE":
            return "delete" if self.name else "deletecollection"
        return None


def parse(path):
    """(kind, details): ("root"|"api"|"apis"|"group"|"groupversion", ...) for discovery, ("resource", Route),
    or (None, None) for paths outside the API."""
    parts = [unquote(p) for p in path.split("/") if p]
    if not parts:
        return "root", None
    if parts[0] == "api":
        if len(parts) == 1:
            return "api", None
        group, version, rest = "", parts[1], parts[2:]
    elif parts[0] == "apis":
        if len(parts) == 1:
            return "apis", None
        if len(parts) == 2:
            return "group", parts[1]
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return None, None
    if not rest:
        return "groupversion", (group, version)
    watch_prefix = rest[0] == "watch"
    if watch_prefix:
        rest = rest[1:]
        if not rest:
            return None, None
    namespace = None
    if rest[0] == "namespaces" and len(rest) > 1:
        namespace = rest[1]
        if len(rest) > 2 and rest[2] not in ("status", "finalize"):
            rest = rest[2:]
        else:  # the namespace object itself
            return "resource", Route(group, version, "namespaces", None, rest[1], rest[2] if len(rest) > 2 else "",
                                     watch_prefix)
    if len(rest) > 3:
        return None, None
    resource = rest[0]
    name = rest[1] if len(rest) > 1 else ""
    subresource = rest[2] if len(rest) > 2 else ""
    return "resource", Route(group, version, resource, namespace, name, subresource, watch_prefix)
