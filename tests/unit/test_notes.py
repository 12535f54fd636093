from __future__ import annotations

import pendulum
import pytest

from netmaint_tui.rules.notes import NoteTask, extract_tasks

BERLIN = "Europe/Berlin"
# Wednesday 2025-03-12, 10:00, right after the meeting
NOW = pendulum.datetime(2025, 3, 12, 10, 0, tz=BERLIN)


def berlin(*args) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=BERLIN)


def only(line: str) -> NoteTask:
    tasks = extract_tasks(line, NOW)
    assert len(tasks) == 1, tasks
    return tasks[0]


@pytest.mark.parametrize(
    "line, what",
    [
        ("- [ ] send the deck", "send the deck"),
        ("* [ ] send the deck", "send the deck"),
        ("[ ] send the deck", "send the deck"),
        ("-[ ] send the deck", "send the deck"),
        ("[] send the deck", "send the deck"),
        ("todo: send the deck", "send the deck"),
        ("TODO: send the deck", "send the deck"),
        ("ToDo : send the deck", "send the deck"),
        ("todo:send the deck", "send the deck"),
        ("   - [ ]   send the deck   ", "send the deck"),
        ("\t todo: send the deck", "send the deck"),
        ("- todo: send the deck", "send the deck"),
        ("- [ ] [bold]Eve[/] intro", "[bold]Eve[/] intro"),
    ],
)
def test_task_markers(line, what):
    task = only(line)
    assert task == NoteTask(what=what, due=None, line=1)


@pytest.mark.parametrize(
    "line",
    [
        "- [x] sent the deck",
        "- [X] sent the deck fri",
        "* [x] sent",
        "[x] sent",
        "send the deck",
        "- send the deck",
        "todos are piling up",
        "my todo: nothing",
        "- [ ]",
        "todo:",
        "todo:    ",
        "",
    ],
)
def test_not_tasks(line):
    assert extract_tasks(line, NOW) == []


@pytest.mark.parametrize(
    "line, what, due",
    [
        ("todo: call Omar fri", "call Omar", berlin(2025, 3, 14, 9, 0)),
        # Today is Wednesday, 10:00: 9:00 has gone, so the task is due by the end of the day.
        ("todo: call Omar wed", "call Omar", berlin(2025, 3, 12, 23, 59)),
        ("todo: call Omar mon", "call Omar", berlin(2025, 3, 17, 9, 0)),  # the coming Monday
        ("- [ ] send deck by tomorrow 3pm", "send deck", berlin(2025, 3, 13, 15, 0)),
        ("- [ ] send deck tomorrow", "send deck", berlin(2025, 3, 13, 9, 0)),
        ("todo: intro to Lee in 3d", "intro to Lee", berlin(2025, 3, 15, 10, 0)),
        ("todo: intro to Lee in 2 days", "intro to Lee", berlin(2025, 3, 14, 10, 0)),
        ("- [ ] email Ana 2025-04-02", "email Ana", berlin(2025, 4, 2, 9, 0)),
        ("- [ ] email Ana on 2025-04-02 15:30", "email Ana", berlin(2025, 4, 2, 15, 30)),
        ("- [ ] thank Sam due fri 4pm", "thank Sam", berlin(2025, 3, 14, 16, 0)),
        ("- [ ] thank Sam due: fri", "thank Sam", berlin(2025, 3, 14, 9, 0)),
        ("todo: lunch with Kim on thurs at noon", "lunch with Kim", berlin(2025, 3, 13, 12, 0)),
        ("todo: call Omar by Friday.", "call Omar", berlin(2025, 3, 14, 9, 0)),
        ("todo: check in 2h", "check", berlin(2025, 3, 12, 12, 0)),
    ],
)
def test_due_words_are_read_and_stripped(line, what, due):
    task = only(line)
    assert task.what == what
    assert task.due == due
    assert task.due.timezone_name == BERLIN


@pytest.mark.parametrize(
    "line, what",
    [
        ("todo: call Sunday Adeyemi", "call Sunday Adeyemi"),
        ("todo: ask about the fri fri event", "ask about the fri fri event"),
        ("todo: read chapter 32 Jan", "read chapter 32 Jan"),
        ("- [ ] book room 2025-13-01", "book room 2025-13-01"),
        ("todo: follow up  with   Bo", "follow up  with   Bo"),  # typed spacing kept when nothing is cut
        ("todo: friday", "friday"),  # a task is never only a date
    ],
)
def test_words_that_do_not_read_as_a_date_stay_in_the_task(line, what):
    task = only(line)
    assert task.what == what
    assert task.due is None


def test_intro_word_kept_when_it_is_all_that_is_left():
    task = only("todo: by fri")
    assert (task.what, task.due) == ("by", berlin(2025, 3, 14, 9, 0))


def test_spacing_inside_the_task_is_kept_when_a_due_is_cut():
    assert only("todo: ping  Bo   by fri").what == "ping  Bo"


def test_multiple_tasks_with_line_numbers():
    note = "\n".join(
        [
            "Coffee with Dana at Blue Bottle.",  # 1
            "She suggested talking to Omar.",  # 2
            "- [ ] intro to Omar by fri",  # 3
            "- [x] send her the article",  # 4
            "",  # 5
            "  todo: thank Dana",  # 6
            "* [ ] look at Acme's careers page in 1w",  # 7
            "TODO: ",  # 8
            "[ ] call Lee tomorrow 9:30am",  # 9
        ]
    )
    assert extract_tasks(note, NOW) == [
        NoteTask("intro to Omar", berlin(2025, 3, 14, 9, 0), 3),
        NoteTask("thank Dana", None, 6),
        NoteTask("look at Acme's careers page", berlin(2025, 3, 19, 10, 0), 7),
        NoteTask("call Lee", berlin(2025, 3, 13, 9, 30), 9),
    ]


def test_windows_line_endings_and_line_numbers():
    note = "notes\r\n- [ ] send deck fri\r\n\r\ntodo: call Bo\r\n"
    assert extract_tasks(note, NOW) == [
        NoteTask("send deck", berlin(2025, 3, 14, 9, 0), 2),
        NoteTask("call Bo", None, 4),
    ]


def test_due_is_relative_to_the_given_moment():
    later = pendulum.datetime(2025, 3, 15, 18, 0, tz="America/New_York")  # a Saturday
    [task] = extract_tasks("todo: call Omar fri", later)
    assert task.due == pendulum.datetime(2025, 3, 21, 9, 0, tz="America/New_York")


def test_a_task_is_credited_to_the_participant_it_names_or_to_nobody():
    from netmaint_tui.rules.notes import credited

    people = [(1, "Dana Lee"), (2, "Omar Haddad"), (3, "Dana Okafor")]
    assert credited("Omar will intro me to Lee at Acme", people) == 2
    assert credited("ask omar haddad for the deck", people) == 2
    assert credited("send the deck", people) is None  # nobody named: not the first one by default
    assert credited("Dana's friend at Acme", people) is None  # two Danas: which one is not known
    assert credited("intro from Dana Okafor", people) == 3
    assert credited("Omarion's post", people) is None  # a whole word, not a prefix
    assert credited("send the deck", [(7, "Lena")]) == 7  # alone at the meeting: they suggested it


def test_todo_lines_of_a_group_note_are_credited_to_whom_they_name(tmp_db, ctx):
    from netmaint_tui.services.contacts import add_contact
    from netmaint_tui.services.followups import list_follow_ups
    from netmaint_tui.services.touches import log_touch

    dana, omar = add_contact(ctx, "Dana Lee"), add_contact(ctx, "Omar Haddad")
    log_touch(ctx, [dana, omar], note="Lunch.\ntodo: send Omar the paper\n- [ ] book the room")
    by_what = {f.what: f.suggested_by_id for f in list_follow_ups(ctx)}
    assert by_what == {"send Omar the paper": omar, "book the room": None}


def test_first_names_with_an_apostrophe_a_hyphen_or_an_accent_are_found_whole():
    from netmaint_tui.rules.notes import credited

    people = [(1, "O'Brien Miles"), (2, "Jean-Luc Picard"), (3, "José Álvarez"), (4, "Dana Lee")]
    assert credited("call O'Brien", people) == 1
    assert credited("call O’Brien", people) == 1  # a typographic apostrophe
    assert credited("ping Jean", people) is None  # not Jean-Luc's name
    assert credited("ping Jean-Luc", people) == 2
    assert credited("jose reviews the deck", people) == 3
