"""The deploy kit (Dockerfile, compose, Kubernetes, .env.example) as files, without Docker."""

from __future__ import annotations

import ast
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from summaries.config.loader import parse_config

ROOT = Path(__file__).parent.parent
DEPLOY = ROOT / "deploy"
KUBE = DEPLOY / "kubernetes"
UID = 10001


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text(encoding="utf-8"))
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), " ".join(rest.split())))
    return found


def final_stage() -> list[tuple[str, str]]:
    steps = dockerfile()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, rest in final_stage():
        if keyword == "ENV":
            for item in shlex.split(rest):
                name, _, value = item.partition("=")
                env[name] = value
    return env


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def kube_documents() -> list[dict[str, Any]]:
    docs = []
    for path in sorted(KUBE.glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    return docs


def kind(name: str) -> dict[str, Any]:
    [found] = [d for d in kube_documents() if d["kind"] == name]
    return found


# --- Dockerfile ----------------------------------------------------------------------------


def test_the_image_is_slim_and_runs_as_a_fixed_non_root_user() -> None:
    stage = final_stage()
    base = stage[0][1].split()[0]
    assert base.startswith("python:3.1"), base
    assert base.endswith("-slim"), base
    users = [rest for keyword, rest in stage if keyword == "USER"]
    assert users, "no USER: the container would run as root"
    assert users[-1].split(":")[0] == str(UID)


def test_the_image_serves_with_a_health_check() -> None:
    stage = dict(final_stage())
    assert "/healthz" in stage["HEALTHCHECK"]
    assert "urllib" in stage["HEALTHCHECK"]  # the slim image has no curl
    assert json.loads(stage["CMD"]) == ["checkin", "serve"]  # exec form: signals reach it
    assert stage["EXPOSE"] == "3000"


def test_the_image_environment_has_its_defaults_and_no_secrets() -> None:
    env = image_env()
    assert env["PYTHONUNBUFFERED"] == "1"
    assert env["PORT"] == "3000"
    assert env["CHECKIN_CONFIG"] == "/config/checkin.yaml"
    assert env["LOG_FORMAT"] == "json"
    assert env["MPLCONFIGDIR"].startswith("/tmp/")
    assert env["DATABASE_URL"] == "sqlite:////data/checkin.db"
    secrets = {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"}
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert not [name for name in secrets if name in text]


def test_the_build_context_lets_every_copied_source_through() -> None:
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" not in [p.lstrip("!") for p in ignore if p.startswith("!")]
    for keyword, rest in dockerfile():
        if keyword != "COPY" or rest.startswith("--from"):
            continue
        for source in rest.split()[:-1]:
            assert (ROOT / source).exists(), source
            if "*" in ignore:  # an allow-list: each source must be let back in
                assert f"!{source}" in ignore, source


# --- compose -------------------------------------------------------------------------------


def test_compose_runs_the_bot_on_a_healthy_postgres_with_a_named_volume() -> None:
    compose = load(DEPLOY / "compose.yaml")
    services = compose["services"]
    assert set(services) == {"bot", "postgres", "proxy"}
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:16")
    volume = postgres["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]  # named, so data outlives the container
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    bot = services["bot"]
    assert bot["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in bot["environment"]["DATABASE_URL"]


def test_compose_migrates_before_serving_and_mounts_the_config_read_only() -> None:
    bot = load(DEPLOY / "compose.yaml")["services"]["bot"]
    script = bot["command"][-1]
    assert script.index("checkin db upgrade") < script.index("checkin serve")
    assert "&&" in script  # a failed migration stops it from serving
    [mount] = [v for v in bot["volumes"] if v["target"] == "/config/checkin.yaml"]
    assert mount["read_only"] is True
    assert bot["environment"]["CHECKIN_CONFIG"] == "/config/checkin.yaml"


def test_compose_publishes_only_a_buffering_proxy() -> None:
    services = load(DEPLOY / "compose.yaml")["services"]
    assert "ports" not in services["bot"]  # reachable only through the proxy
    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert proxy["ports"] == ["8080:8080"]
    [mount] = proxy["volumes"]
    assert (DEPLOY / mount["source"]).is_file()
    assert mount["read_only"] is True
    conf = (DEPLOY / mount["source"]).read_text(encoding="utf-8")
    settings = dict(re.findall(r"^\s*(\w+)\s+([^;{]+);", conf, re.M))
    assert settings["client_max_body_size"] == "1m"  # the bot's own limit (bot.gate)
    for timeout in ("client_header_timeout", "client_body_timeout"):
        assert int(settings[timeout].rstrip("s")) <= 10
    assert settings["proxy_request_buffering"] == "on"
    assert "server bot:3000" in conf
    assert set(re.findall(r"location (?:= )?(\S+) \{", conf)) == {"/slack/events", "/healthz", "/"}
    assert "limit_req zone=" in conf
    assert "limit_conn per_client" in conf


# --- Kubernetes ----------------------------------------------------------------------------


def test_kustomization_lists_files_that_exist_and_no_secret() -> None:
    resources = load(KUBE / "kustomization.yaml")["resources"]
    for name in resources:
        assert (KUBE / name).is_file(), name
    assert "secret.example.yaml" not in resources
    listed = {p.name for p in KUBE.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed - set(resources) == {"secret.example.yaml"}


def test_the_deployment_runs_replicas_with_probes_and_secrets_from_a_secret() -> None:
    deployment = kind("Deployment")
    assert deployment["spec"]["replicas"] >= 2
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/healthz"
    secret = kind("Secret")
    for c in [container, *pod["initContainers"]]:
        assert {"secretRef": {"name": secret["metadata"]["name"]}} in c["envFrom"], c["name"]
    assert set(secret["stringData"]) == {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET",
                                         "DATABASE_URL"}
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["CHECKIN_CONFIG"] == "/config/checkin.yaml"
    assert env["PORT"] == str(container["ports"][0]["containerPort"]) == "3000"
    [migrate] = pod["initContainers"]
    assert migrate["command"] == ["checkin", "db", "upgrade"]


def test_the_pods_run_locked_down() -> None:
    pod = kind("Deployment")["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] == UID
    mounts: dict[str, str] = {}
    for c in [*pod["containers"], *pod["initContainers"]]:
        security = c["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        assert c["resources"]["limits"]["memory"]
        mounts |= {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]  # writable scratch on a read-only root
    assert volumes[mounts["/config"]]["configMap"]["name"] == kind("ConfigMap")["metadata"]["name"]


def test_the_configmap_holds_a_valid_configuration() -> None:
    parse_config(kind("ConfigMap")["data"]["checkin.yaml"])


def test_service_and_ingress_reach_the_pods_on_slack_path_only() -> None:
    labels = kind("Deployment")["spec"]["template"]["metadata"]["labels"]
    service = kind("Service")
    assert service["spec"]["selector"].items() <= labels.items()
    [port] = service["spec"]["ports"]
    assert port["port"] == 80
    assert port["targetPort"] in ("http", 3000)
    [rule] = kind("Ingress")["spec"]["rules"]
    paths = rule["http"]["paths"]
    assert [p["path"] for p in paths] == ["/slack/events"]  # not /metrics, not /
    for path in paths:
        assert path["backend"]["service"]["name"] == service["metadata"]["name"]
    budget = kind("PodDisruptionBudget")["spec"]
    assert budget["minAvailable"] == 1
    assert budget["selector"]["matchLabels"].items() <= labels.items()


# --- .env.example --------------------------------------------------------------------------


def settings_variables() -> set[str]:
    """Names the code reads from the environment: literals handed with ``env`` in
    bot/settings.py (``env.get("NAME")``, ``_positive(env, "NAME", ...)``), and any direct
    ``os.environ``/``getenv`` read in bot/ or summaries/."""
    names: set[str] = set()
    tree = ast.parse((ROOT / "bot" / "settings.py").read_text(encoding="utf-8"))
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        func = call.func
        with_env = any(isinstance(a, ast.Name) and a.id == "env" for a in call.args) or (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and func.value.id == "env")
        if with_env:
            names |= {a.value for a in call.args if isinstance(a, ast.Constant)
                      and isinstance(a.value, str) and re.fullmatch(r"[A-Z][A-Z0-9_]*", a.value)}
    # os.environ, not a WSGI request's environ (CONTENT_LENGTH, PATH_INFO...).
    direct = re.compile(r"""os\.(?:environ\.get\(|environ\[|getenv\()\s*["']([A-Z][A-Z0-9_]*)""")
    for folder in ("bot", "summaries"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(direct.findall(path.read_text(encoding="utf-8")))
    return names


def env_example() -> tuple[set[str], set[str]]:
    """The variables named in .env.example (set or commented out): the bot's, and those in
    its compose-only part."""
    text = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    bot_part, marker, compose_part = text.partition("compose only")
    assert marker, ".env.example lost its compose-only section"
    pattern = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
    return set(pattern.findall(bot_part)), set(pattern.findall(compose_part))


def test_settings_variables_are_found() -> None:
    names = settings_variables()
    assert {"DATABASE_URL", "SLACK_BOT_TOKEN", "CHECKIN_RATE_TIER3_PER_MINUTE"} <= names


def test_env_example_names_every_variable_the_code_reads_and_no_other() -> None:
    documented, _ = env_example()
    code = settings_variables()
    assert sorted(code - documented) == [], "read by the code, missing from .env.example"
    assert sorted(documented - code) == [], "in .env.example, not read by the code"


def test_env_example_compose_part_is_what_compose_reads() -> None:
    _, compose_only = env_example()
    compose = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    interpolated = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose))
    assert compose_only == interpolated
    assert {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"} <= compose_only


# --- every YAML file loads -----------------------------------------------------------------


@pytest.mark.parametrize("path", sorted([*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml")]),
                         ids=lambda p: str(p.relative_to(DEPLOY)))
def test_yaml_loads(path: Path) -> None:
    docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
    assert docs
    assert all(isinstance(d, dict) for d in docs)
