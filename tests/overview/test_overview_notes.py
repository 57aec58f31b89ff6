"""The overview's method notes say what the tables hold."""

from ordbruk.overview.notes import overview_result
from ordbruk.text.cleaning import LOG_LINE_MAX, LOG_WINDOW


def test_cleaning_log_note_says_what_the_log_holds():
    # Reported (issue 12): the note said the log never holds personal data while it held
    # the contact lines and the contact persons' names.
    note = overview_result("cleaning_log")["notes"]
    assert "never" not in note
    assert f"at most {LOG_WINDOW} characters" in note
    assert f"cut at {LOG_LINE_MAX} characters" in note
    assert "names and roles of persons" in note
