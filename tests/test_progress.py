from aligner.report.progress import counter, spinner, track


def test_track_yields_every_item_with_and_without_a_bar():
    items = list(range(25))
    assert list(track(items, "counting", enabled=False)) == items
    assert list(track(items, "counting", enabled=True)) == items


def test_counter_and_spinner_are_silent_in_a_pipe(capsys):
    with counter("encoding", 10, enabled=False) as advance:
        advance(4)
        advance(6)
    with spinner("clustering", enabled=False):
        pass
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
