"""Who becomes "Child A": the child the review is about, and never a label the text already uses."""

from casereview.redact import redact_text


def test_the_stated_subject_is_child_a_even_when_the_mother_is_named_more():
    text = ("This review concerns Zebedee Quarrington, aged 15. His mother, Mrs Philippa Ostrander, "
            "called the GP. Mrs Ostrander was worried. Mrs Ostrander called again. "
            "Mrs Ostrander then wrote to the school.")
    out = redact_text(text).text
    assert "This review concerns Child A" in out
    assert "Mrs Ostrander" not in out and "Child A was worried" not in out


def test_an_existing_child_a_is_kept_and_the_new_subject_does_not_take_it():
    text = ("Child A was known to services. This review concerns Zebedee Quarrington, the sibling of Child A. "
            "Zebedee Quarrington was seen at school. Zebedee Quarrington moved home.")
    out = redact_text(text).text
    assert out.startswith("Child A was known to services.")
    assert "Zebedee" not in out and "Quarrington" not in out
    assert "This review concerns Child B" in out


def test_an_existing_person_label_is_not_reused():
    text = ("[PERSON 1] spoke to Mrs Philippa Ostrander. Mrs Ostrander agreed. "
            "Later Mr Barnaby Wethercott visited. Mr Wethercott left.")
    out = redact_text(text).text
    assert out.count("[PERSON 1]") == 1
    assert "Ostrander" not in out and "Wethercott" not in out
