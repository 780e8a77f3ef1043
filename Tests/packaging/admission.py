"""A ValidatingAdmissionPolicy evaluated as kube-apiserver evaluates it, with cel-python: the
request's object, oldObject, request and params; the policy's variables in order (each may use the
ones before it); then every validation. An expression that fails to evaluate denies the request,
as failurePolicy: Fail does."""
import celpy
from celpy import celtypes

ENV = celpy.Environment()


class Policy:
    def __init__(self, policy):
        spec = policy["spec"]
        self.spec = spec
        self.variables = [(v["name"], ENV.program(ENV.compile(v["expression"]))) for v in spec.get("variables", [])]
        self.validations = [(ENV.program(ENV.compile(v["expression"])), v["message"], v.get("reason"))
                            for v in spec["validations"]]

    def matches(self, operation, group, resource, subresource=""):
        """Whether matchConstraints select this request (resourceRules only; no selectors are used)."""
        for rule in self.spec["matchConstraints"]["resourceRules"]:
            full = f"{resource}/{subresource}" if subresource else resource
            if (operation in rule["operations"] or "*" in rule["operations"]) and group in rule["apiGroups"] \
                    and (full in rule["resources"] or "*" in rule["resources"]):
                return True
        return False

    def denials(self, operation, obj, old=None, username="alice", groups=(), params=None):
        """The messages of every validation that denies this request ([] = admitted)."""
        request = {"operation": operation, "userInfo": {"username": username,
                                                        "groups": ["system:authenticated", *groups]}}
        activation = {"object": celpy.json_to_cel(obj), "oldObject": celpy.json_to_cel(old),
                      "request": celpy.json_to_cel(request), "params": celpy.json_to_cel(params)}
        variables = {}
        try:
            for name, program in self.variables:
                activation["variables"] = celtypes.MapType(variables)
                variables[celtypes.StringType(name)] = program.evaluate(activation)
            activation["variables"] = celtypes.MapType(variables)
        except celpy.CELEvalError as error:
            return [f"error in variable {name}: {error}"]
        denied = []
        for program, message, _ in self.validations:
            try:
                if not bool(program.evaluate(activation)):
                    denied.append(message)
            except celpy.CELEvalError as error:
                denied.append(f"error: {error}: {message}")
        return denied
