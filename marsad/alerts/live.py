"""The rules in force: the rules file, reloaded when it changes, compiled once per load."""

from __future__ import annotations

import logging
from pathlib import Path

from marsad.alerts.matcher import Compiled, compile_rules
from marsad.alerts.rules import Hook, RuleError, RuleFile

log = logging.getLogger("marsad.alerts")


class LiveRules:
    """Ask ``compiled()`` on every event: it costs one stat() unless the file changed.

    A file that no longer loads or compiles leaves the last good rules in force (logged once per
    change), so a bad edit never turns alerting off.
    """

    def __init__(self, path: Path) -> None:
        self.file = RuleFile(path)
        self._compiled: list[Compiled] = []
        self._hooks: dict[str, Hook] = {}
        self._error: str | None = None

    def compiled(self) -> list[Compiled]:
        rules, reloaded = self.file.current()
        if self.file.error and self.file.error != self._error:
            self._error = self.file.error
            log.error(
                "alert rules not reloaded, keeping the previous %d: %s", len(self._compiled), self._error
            )
        if reloaded:
            try:
                self._compiled = compile_rules(rules.enabled())
                self._hooks = dict(rules.hooks)
                self._error = None
                log.info(
                    "alert rules loaded from %s: %d enabled of %d, %d hooks",
                    self.file.path,
                    len(self._compiled),
                    len(rules.rules),
                    len(rules.hooks),
                )
            except RuleError as exc:
                self._error = str(exc)
                log.error("alert rules not reloaded, keeping the previous %d: %s", len(self._compiled), exc)
        return self._compiled

    def hooks(self) -> dict[str, Hook]:
        self.compiled()
        return self._hooks
