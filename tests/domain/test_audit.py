from annotator.domain.audit import NAME_LENGTH, file_name_shown, names_listed


def test_a_file_name_is_shown_without_the_folders_it_came_from():
    assert file_name_shown("../../etc/passwd") == "passwd"
    assert file_name_shown("C:\\Users\\lead\\reports.jsonl") == "reports.jsonl"
    assert file_name_shown("/home/lead/reports/") == "reports"


def test_characters_that_hide_or_disguise_text_are_shown_as_escapes():
    assert file_name_shown("invoice\u202etxt.exe") == "invoice\\u202etxt.exe"
    assert file_name_shown("a\u200bb\x00c\x1b.txt") == "a\\u200bb\\x00c\\x1b.txt"
    assert file_name_shown("a\u200d.txt") == "a\\u200d.txt"
    # An undecodable byte in a command-line path arrives as a lone surrogate.
    assert file_name_shown("caf\udce9.txt") == "caf\\udce9.txt"


def test_ordinary_names_in_any_script_are_kept_as_they_are():
    for name in (
        "تقرير حلب.txt",
        "می\u200cخواهم.txt",
        "Idlib 👩‍👧 report.csv",
        "<img src=x onerror=alert(1)>.txt",
    ):
        assert file_name_shown(name) == name


def test_a_long_name_is_cut_to_a_readable_length():
    shown = file_name_shown("x" * 500 + ".txt")
    assert len(shown) == NAME_LENGTH and shown.endswith("…")


def test_many_names_are_listed_in_one_line():
    assert names_listed(["a", "b"], "file") == "a, b"
    names = [f"{n}.txt" for n in range(8)]
    assert names_listed(names, "file") == "0.txt, 1.txt, 2.txt, 3.txt, 4.txt and 3 more files"
    assert names_listed(names[:6], "file").endswith("and 1 more file")
