"""A profile: which rules run, at which severity, with which dictionaries (one per installation or use).

Profiles are TOML files (stdlib `tomllib`):

    name = "示范区政府办公室"
    disable = ["PUN-07"]
    [severity]
    "TL-02" = "info"
    [options]
    range_mark = "～"
    local_names = ["张明华", "清河镇"]         # never flagged as slips (people, places, units)
    unit_names = ["示范区教育委员会", "区教委"]  # the unit registry: full and short names (ORG-01)
    [dictionaries]
    whitelist = "/srv/zhongshu/dict/whitelist.csv"
    slips_stats = "/srv/zhongshu/dict/slips.json.gz"  # the installation's own W3 statistics

Inside the app the names come from `org` and the statistics from the approved documents: the app passes
them as `Profile(local_names=…, unit_names=…, extra_stats=…)` (or `dataclasses.replace` of a profile).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .finding import Severity


@dataclass(frozen=True)
class Profile:
    name: str = "默认"
    disabled: frozenset[str] = frozenset()
    enabled: frozenset[str] = frozenset()  # rules off by default that this profile turns on
    severity: dict[str, Severity] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    dictionary_paths: dict[str, Path] = field(default_factory=dict)
    dictionaries: dict[str, Any] = field(default_factory=dict)  # already-loaded dictionaries (from the app)
    local_names: tuple[str, ...] = ()  # people, places and units of the installation: never flagged as slips
    unit_names: tuple[str, ...] = ()  # registered unit names, full and short: ORG-01 checks against them
    extra_stats: Any = None  # W3 statistics of the installation (slips.Stats or a path), merged with the base

    @classmethod
    def default(cls) -> Profile:
        return _DEFAULT

    @classmethod
    def load(cls, path: str | Path) -> Profile:
        """Read a TOML profile; relative dictionary paths are relative to the profile file."""
        path = Path(path)
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        try:
            severity = {key: Severity(value) for key, value in data.get("severity", {}).items()}
        except ValueError as exc:
            raise ValueError(f"配置文件 {path} 的严重程度无效：{exc}（可选 error、warning、info）") from exc
        dictionaries = {name: (path.parent / value).resolve() for name, value in data.get("dictionaries", {}).items()}
        return cls(
            name=str(data.get("name", path.stem)),
            disabled=frozenset(data.get("disable", [])),
            enabled=frozenset(data.get("enable", [])),
            severity=severity,
            options=dict(data.get("options", {})),
            dictionary_paths=dictionaries,
            local_names=tuple(str(name) for name in data.get("local_names", [])),
            unit_names=tuple(str(name) for name in data.get("unit_names", [])),
        )

    def runs(self, rule_id: str, enabled_by_default: bool) -> bool:
        if rule_id in self.disabled:
            return False
        return enabled_by_default or rule_id in self.enabled


_DEFAULT = Profile()
