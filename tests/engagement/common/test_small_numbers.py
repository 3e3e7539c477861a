from django.test import override_settings

from engagement.common.small_numbers import protect


def test_counts_under_the_threshold_read_fewer_than_and_carry_no_number():
    assert protect(1).value is None
    assert protect(4).label == "fewer than 5"
    assert protect(5).value == 5
    assert protect(5).label == "5"


def test_nobody_is_shown_as_zero():
    assert protect(0).value == 0


@override_settings(SMALL_NUMBER_THRESHOLD=10)
def test_the_threshold_is_a_setting():
    assert protect(9).label == "fewer than 10"
    assert protect(10).value == 10
