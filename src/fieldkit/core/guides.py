"""Guides: step-by-step walkthroughs (VNeID, public services) read from `resources/guides/`.

A guide is data, written by trainers and commune staff rather than programmers, and a mistake
found while a volunteer sits beside a citizen is found too late. So everything that can be
checked without a person is checked when the file is loaded, and each failure names the file,
the step and the reason (see `resources/guides/README.md` for the file layout).

Branches choose the next step from a small fixed vocabulary of facts about the person
(`CONDITIONS`), evaluated against `GuideFacts`; there is no expression language. An unknown
fact (None) never satisfies a condition, so a person about whom nothing is known follows the
`otherwise` branches.

Secrets are never written down: every step whose instruction mentions a password, OTP or
passcode must carry a tip of kind "secret" reminding the volunteer that the citizen types it on
her own phone and nobody records it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Texts = dict[str, str]


@dataclass(frozen=True)
class GuideFacts:
    """What the volunteer knows about the person; None when not known (yet)."""

    has_smartphone: bool | None = None
    phone_has_nfc: bool | None = None
    age: int | None = None
    number_in_own_name: bool | None = None


# Each condition is True, False or None (not known) for a person; a branch is taken only on True.
CONDITIONS: dict[str, Callable[[GuideFacts], bool | None]] = {
    "has_smartphone": lambda f: f.has_smartphone,
    "no_smartphone": lambda f: None if f.has_smartphone is None else not f.has_smartphone,
    "phone_has_nfc": lambda f: f.phone_has_nfc,
    "no_nfc": lambda f: None if f.phone_has_nfc is None else not f.phone_has_nfc,
    "under_14": lambda f: None if f.age is None else f.age < 14,
    "age_14_plus": lambda f: None if f.age is None else f.age >= 14,
    "number_in_own_name": lambda f: f.number_in_own_name,
    "number_not_own_name":
        lambda f: None if f.number_in_own_name is None else not f.number_in_own_name,
}

# Every distinct combination of facts the conditions can tell apart (age only matters at 14).
_FACT_VALUES: dict[str, tuple[Any, ...]] = {
    "has_smartphone": (True, False, None),
    "phone_has_nfc": (True, False, None),
    "age": (30, 10, None),
    "number_in_own_name": (True, False, None),
}


def all_facts() -> Iterator[GuideFacts]:
    """One representative `GuideFacts` for every combination the conditions distinguish."""
    names = list(_FACT_VALUES)
    for values in itertools.product(*(_FACT_VALUES[name] for name in names)):
        yield GuideFacts(**dict(zip(names, values, strict=True)))


def holds(condition: str, facts: GuideFacts) -> bool:
    """True only when the facts say so; unknown facts never satisfy a condition."""
    return CONDITIONS[condition](facts) is True


# Words in an instruction that mean the citizen is about to type a secret.
SECRET_WORDS = re.compile(
    r"mật\s+khẩu|\bOTP\b|mã\s+xác\s+thực|mã\s+xác\s+nhận|passcode|password", re.IGNORECASE)
_ID = re.compile(r"^[a-z0-9_]+$")
LANGUAGES = ("vi", "en")


class GuideError(ValueError):
    """A guide that cannot be used, naming the file, the step (when there is one) and why."""

    def __init__(self, file: Path | str, step: str, reason: str) -> None:
        where = f"step {step!r}" if step else ""
        super().__init__(f"{file}: {where}: {reason}" if where else f"{file}: {reason}")
        self.file = str(file)
        self.step = step
        self.reason = reason


@dataclass(frozen=True)
class Tip:
    text: Texts
    # "secret": the reminder that the citizen types her password/OTP/passcode herself.
    kind: str | None = None


@dataclass(frozen=True)
class Problem:
    id: str
    title: Texts
    fix: Texts


@dataclass(frozen=True)
class Branch:
    """`when` is a condition name; None for the final `otherwise`."""

    when: str | None
    go: str


@dataclass
class Step:
    id: str
    instruction: Texts
    phone_shows: Texts = field(default_factory=dict)
    tips: list[Tip] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # None: the guide ends here; a step id; or branches ending with an `otherwise`.
    next: str | list[Branch] | None = None
    # On an end step: the VNeID status a person who got here has now, offered as the run's
    # result (the volunteer confirms it: an SMS may not have come yet).
    result_status: str | None = None
    # Show the guide's `store_links` as QR codes for the citizen's camera at this step.
    show_store_links: bool = False

    @property
    def is_end(self) -> bool:
        return self.next is None

    def targets(self) -> list[str]:
        if self.next is None:
            return []
        if isinstance(self.next, str):
            return [self.next]
        return [branch.go for branch in self.next]

    def problem(self, problem_id: str) -> Problem:
        for problem in self.problems:
            if problem.id == problem_id:
                return problem
        raise KeyError(problem_id)


@dataclass
class Guide:
    id: str
    version: str
    title: Texts
    summary: Texts
    steps: dict[str, Step]
    applies_to: list[str] = field(default_factory=list)
    store_links: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    @property
    def first_step(self) -> str:
        return next(iter(self.steps))

    def step(self, step_id: str) -> Step:
        return self.steps[step_id]

    def applies(self, facts: GuideFacts) -> bool:
        """False only when a fact is known to rule the person out."""
        return all(CONDITIONS[c](facts) is not False for c in self.applies_to)

    def next_step(self, step_id: str, facts: GuideFacts) -> str | None:
        """The step after `step_id` for this person, or None at the end of the guide."""
        return self._choose(self.steps[step_id], facts)[0]

    @staticmethod
    def _choose(step: Step, facts: GuideFacts) -> tuple[str | None, int | None]:
        if step.next is None or isinstance(step.next, str):
            return step.next, None
        for index, branch in enumerate(step.next):
            if branch.when is None or holds(branch.when, facts):
                return branch.go, index
        raise AssertionError("a checked guide always ends its branches with `otherwise`")

    def walk(self, facts: GuideFacts) -> list[str]:
        """The step ids this person goes through, first to last."""
        return [step_id for step_id, _ in self._walk(facts)]

    def _walk(self, facts: GuideFacts) -> list[tuple[str, int | None]]:
        taken: list[tuple[str, int | None]] = []
        seen: set[str] = set()
        current: str | None = self.first_step
        while current is not None:
            if current in seen:
                raise RuntimeError(f"{self.id}: loops at {current!r}")  # refused at load
            seen.add(current)
            following, index = self._choose(self.steps[current], facts)
            taken.append((current, index))
            current = following
        return taken

    def branches(self) -> set[tuple[str, int]]:
        """Every (step id, branch index) in the guide."""
        return {(step.id, index) for step in self.steps.values()
                if isinstance(step.next, list) for index in range(len(step.next))}

    def reachable_branches(self) -> set[tuple[str, int]]:
        """The (step id, branch index) pairs some person actually takes."""
        return {(step_id, index) for facts in all_facts()
                for step_id, index in self._walk(facts) if index is not None}

    def paths(self) -> dict[tuple[str, ...], list[GuideFacts]]:
        """Each distinct route through the guide, with the fact combinations that take it."""
        routes: dict[tuple[str, ...], list[GuideFacts]] = {}
        for facts in all_facts():
            routes.setdefault(tuple(self.walk(facts)), []).append(facts)
        return routes

    def branch_count(self) -> int:
        return len(self.branches())


def load_guides(directory: Path | str) -> list[Guide]:
    """Every `*.json` guide in `directory`, in file-name order; the first bad file raises."""
    return [load_guide(path) for path in sorted(Path(directory).glob("*.json"))]


def load_guides_reporting(*directories: Path | str) -> tuple[list[Guide], list[GuideError]]:
    """The guides that load and the errors of those that do not, each file on its own."""
    from fieldkit.core.json_files import load_each

    return load_each(directories, load_guide, GuideError)


def newest_guides(guides: list[Guide]) -> dict[str, Guide]:
    """One guide per id, the newest version: a guide published by the commune replaces the
    shipped one of the same id once it is newer. Of two files with the same version the
    first listed wins, and callers list the shipped guides first: a published file never
    replaces a shipped version."""
    from fieldkit.core.json_files import version_key

    newest: dict[str, Guide] = {}
    for guide in guides:
        known = newest.get(guide.id)
        if known is None or version_key(guide.version) > version_key(known.version):
            newest[guide.id] = guide
    return newest


def load_guide(path: Path | str) -> Guide:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GuideError(path, "", f"invalid JSON at line {exc.lineno} column {exc.colno}: "
                                   f"{exc.msg}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GuideError(path, "", f"cannot read the file: {exc}") from None
    except (RecursionError, ValueError) as exc:
        raise GuideError(path, "", f"invalid JSON: {exc}") from None
    try:
        return _Loader(path, data).load()
    except RecursionError:
        raise GuideError(path, "", "the guide is nested too deeply to read") from None


class _Loader:
    def __init__(self, path: Path, data: object) -> None:
        self.path = path
        self.data = data

    def fail(self, step: str, reason: str) -> GuideError:
        return GuideError(self.path, step, reason)

    def texts(self, value: object, step: str, what: str, *, required: bool = True) -> Texts:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise self.fail(step, f"{what} must be an object of texts by language "
                                  f'(e.g. {{"vi": "...", "en": "..."}})')
        for language, text in value.items():
            if language not in LANGUAGES:
                raise self.fail(step, f"{what} has an unknown language {language!r}")
            if not isinstance(text, str):
                raise self.fail(step, f"{what} text in {language!r} must be a string")
        if not str(value.get("vi", "")).strip():
            raise self.fail(step, f"{what} has no Vietnamese text (vi)")
        return dict(value)

    def load(self) -> Guide:
        data = self.data
        if not isinstance(data, dict):
            raise self.fail("", "the file must hold one JSON object")
        for key in ("id", "version", "title", "steps"):
            if key not in data or data[key] in (None, "", []):
                raise self.fail("", f"missing {key!r}")
        guide_id = data["id"]
        if not isinstance(guide_id, str) or not _ID.match(guide_id):
            raise self.fail("", f"id {guide_id!r} must be lower-case letters, digits and _")
        if guide_id != self.path.stem.split("@")[0]:
            raise self.fail("", f"id {guide_id!r} does not match the file name "
                                f"{self.path.name!r}")
        if not isinstance(data["version"], str | int):
            raise self.fail("", "version must be a string")
        title = self.texts(data["title"], "", "title")
        summary = self.texts(data.get("summary"), "", "summary", required=False)
        applies_to = data.get("applies_to", [])
        if not isinstance(applies_to, list):
            raise self.fail("", "applies_to must be a list of conditions")
        for condition in applies_to:
            self.condition(condition, "", "applies_to")
        store_links = data.get("store_links", {})
        if not isinstance(store_links, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and v.startswith("https://")
                for k, v in store_links.items()):
            raise self.fail("", "store_links must map a platform to an https:// link")
        raw_steps = data["steps"]
        if not isinstance(raw_steps, list):
            raise self.fail("", "steps must be a list")
        steps: dict[str, Step] = {}
        for number, raw in enumerate(raw_steps, start=1):
            step = self.step(raw, number)
            if step.id in steps:
                raise self.fail(step.id, "duplicate step id")
            steps[step.id] = step
        guide = Guide(id=guide_id, version=str(data["version"]), title=title, summary=summary,
                      steps=steps, applies_to=list(applies_to), store_links=dict(store_links),
                      path=self.path)
        if any(step.show_store_links for step in steps.values()) and not store_links:
            raise self.fail(next(s.id for s in steps.values() if s.show_store_links),
                            "show_store_links is set but the guide has no store_links")
        self.check_graph(guide)
        return guide

    def condition(self, value: object, step: str, where: str) -> str:
        if not isinstance(value, str) or value not in CONDITIONS:
            known = ", ".join(CONDITIONS)
            raise self.fail(step, f"{where}: unknown condition {value!r} (known: {known})")
        return value

    def step(self, raw: object, number: int) -> Step:
        if not isinstance(raw, dict):
            raise self.fail(f"#{number}", "a step must be an object")
        step_id = raw.get("id")
        if not step_id:
            raise self.fail(f"#{number}", "missing step id")
        if not isinstance(step_id, str) or not _ID.match(step_id):
            raise self.fail(f"#{number}", f"step id {step_id!r} must be lower-case letters, "
                                          "digits and _")
        if "next" not in raw:
            raise self.fail(step_id, 'missing "next" (a step id, null for the end, or branches)')
        instruction = self.texts(raw.get("instruction"), step_id, "instruction")
        phone_shows = self.texts(raw.get("phone_shows"), step_id, "phone_shows", required=False)
        tips = [self.tip(tip, step_id, index)
                for index, tip in enumerate(self.listed(raw, "tips", step_id), start=1)]
        problems: list[Problem] = []
        for index, item in enumerate(self.listed(raw, "problems", step_id), start=1):
            problem = self.problem(item, step_id, index)
            if any(p.id == problem.id for p in problems):
                raise self.fail(step_id, f"duplicate problem id {problem.id!r}")
            problems.append(problem)
        step = Step(id=step_id, instruction=instruction, phone_shows=phone_shows, tips=tips,
                    problems=problems, next=self.next(raw["next"], step_id),
                    result_status=self.result_status(raw, step_id),
                    show_store_links=self.flag(raw, "show_store_links", step_id))
        mentions = [text for text in instruction.values() if SECRET_WORDS.search(text)]
        if mentions and not any(tip.kind == "secret" for tip in tips):
            raise self.fail(step_id, "the instruction mentions a password, OTP or passcode but "
                                     'no tip of kind "secret" reminds that the citizen types it '
                                     "on her own phone and the volunteer never writes it down")
        return step

    def result_status(self, raw: dict, step_id: str) -> str | None:
        from fieldkit.core.vocabulary import VNEID_STATUSES

        value = raw.get("result_status")
        if value is None:
            return None
        if value not in VNEID_STATUSES:
            raise self.fail(step_id, f"result_status {value!r} is not a VNeID status "
                                     f"(known: {', '.join(VNEID_STATUSES)})")
        if raw.get("next") is not None:
            raise self.fail(step_id, "result_status belongs on an end step (next: null)")
        return value

    def flag(self, raw: dict, key: str, step_id: str) -> bool:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(step_id, f"{key} must be true or false")
        return value

    def listed(self, raw: dict, key: str, step_id: str) -> list:
        value = raw.get(key, [])
        if not isinstance(value, list):
            raise self.fail(step_id, f"{key} must be a list")
        return value

    def tip(self, raw: object, step_id: str, index: int) -> Tip:
        if not isinstance(raw, dict):
            raise self.fail(step_id, f"tip {index} must be an object")
        kind = raw.get("kind")
        if kind not in (None, "secret"):
            raise self.fail(step_id, f"tip {index}: unknown kind {kind!r} (known: secret)")
        text = self.texts({k: v for k, v in raw.items() if k != "kind"}, step_id,
                          f"tip {index}")
        return Tip(text=text, kind=kind)

    def problem(self, raw: object, step_id: str, index: int) -> Problem:
        if not isinstance(raw, dict):
            raise self.fail(step_id, f"problem {index} must be an object")
        problem_id = raw.get("id")
        if not isinstance(problem_id, str) or not _ID.match(problem_id):
            raise self.fail(step_id, f"problem {index}: missing or bad id {problem_id!r}")
        return Problem(id=problem_id,
                       title=self.texts(raw.get("title"), step_id, f"problem {problem_id!r} "
                                                                   "title"),
                       fix=self.texts(raw.get("fix"), step_id, f"problem {problem_id!r} fix"))

    def next(self, value: object, step_id: str) -> str | list[Branch] | None:
        if value is None or isinstance(value, str):
            if value == "":
                raise self.fail(step_id, "next is empty (use null for the end of the guide)")
            return value
        if not isinstance(value, list) or not value:
            raise self.fail(step_id, "next must be a step id, null or a list of branches")
        branches: list[Branch] = []
        for index, raw in enumerate(value, start=1):
            if not isinstance(raw, dict):
                raise self.fail(step_id, f"branch {index} must be an object")
            if "otherwise" in raw:
                if index != len(value):
                    raise self.fail(step_id, f"branch {index}: otherwise must come last")
                go = raw["otherwise"]
                when = None
            else:
                if "when" not in raw or "go" not in raw:
                    raise self.fail(step_id, f'branch {index} needs "when" and "go"')
                when = self.condition(raw["when"], step_id, f"branch {index}")
                go = raw["go"]
            if not isinstance(go, str) or not go:
                raise self.fail(step_id, f"branch {index}: go must be a step id")
            branches.append(Branch(when=when, go=go))
        if branches[-1].when is not None:
            raise self.fail(step_id, 'the branches have no final {"otherwise": step_id}')
        return branches

    def check_graph(self, guide: Guide) -> None:
        steps = guide.steps
        for step in steps.values():
            for target in step.targets():
                if target not in steps:
                    raise self.fail(step.id, f"next goes to an unknown step {target!r}")
        reached = {guide.first_step}
        queue = [guide.first_step]
        while queue:
            for target in steps[queue.pop()].targets():
                if target not in reached:
                    reached.add(target)
                    queue.append(target)
        for step_id in steps:
            if step_id not in reached:
                raise self.fail(step_id, f"unreachable: no way here from the first step "
                                         f"{guide.first_step!r}")
        # Steps from which the end can be reached, growing backwards from the end steps.
        ending = {s.id for s in steps.values() if s.is_end}
        grew = True
        while grew:
            grew = False
            for step in steps.values():
                if step.id not in ending and any(t in ending for t in step.targets()):
                    ending.add(step.id)
                    grew = True
        for step_id in steps:
            if step_id not in ending:
                raise self.fail(step_id, "in a cycle with no way to the end of the guide")
        for facts in all_facts():
            self.check_walk(guide, facts)
        for step_id, index in sorted(guide.branches() - guide.reachable_branches()):
            raise self.fail(step_id, f"branch {index + 1} can never be taken: no person "
                                     "reaches it (an earlier branch or step always wins)")

    def check_walk(self, guide: Guide, facts: GuideFacts) -> None:
        seen: set[str] = set()
        current: str | None = guide.first_step
        while current is not None:
            if current in seen:
                raise self.fail(current, f"a person with {facts} goes round a cycle here and "
                                         "never reaches the end")
            seen.add(current)
            current = guide.next_step(current, facts)
