"""Receipt codes: 80 bits, forgiving to read, stored only as HMAC lookup key and argon2id hash."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integriteit.reports import receipts
from integriteit.reports.receipts import ALPHABET, CODE_LENGTH
from integriteit.testing import random_code

codes = st.text(alphabet=ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH)


def test_alphabet_is_crockford_base32():
    assert len(ALPHABET) == 32 == len(set(ALPHABET))
    assert not set("ILOU") & set(ALPHABET)


def test_codes_have_16_chars_of_80_bits():
    generated = {random_code() for _ in range(200)}
    assert len(generated) == 200  # no repeats
    for code in generated:
        assert len(code) == 16
        assert set(code) <= set(ALPHABET)
    assert CODE_LENGTH * 5 == 80  # 32 symbols = 5 bits each
    # Over many codes every symbol shows up: the whole alphabet is used.
    assert set("".join(generated)) == set(ALPHABET)


def test_display_groups_of_four():
    assert receipts.display("ABCD1234EFGH5678") == "ABCD-1234-EFGH-5678"
    assert re.fullmatch(r"(?:[0-9A-Z]{4}-){3}[0-9A-Z]{4}", receipts.display(random_code()))


@pytest.mark.parametrize(
    "entered",
    [
        "ABCD-1234-EFGH-5678",
        "abcd-1234-efgh-5678",
        "ABCD 1234 EFGH 5678",
        " abcd1234efgh5678 ",
        "ABCD--1234 - EFGH\t5678",
    ],
)
def test_normalise_accepts_case_spaces_dashes(entered):
    assert receipts.normalise(entered) == "ABCD1234EFGH5678"


def test_normalise_reads_o_i_l_as_digits():
    assert receipts.normalise("OOOO-IIII-LLLL-oilA") == "0000111111110" + "11A"


@pytest.mark.parametrize(
    "entered",
    [
        "",
        "ABCD-1234-EFGH-567",  # too short
        "ABCD-1234-EFGH-56789",  # too long
        "ABCD-1234-EFGH-567U",  # U is not in the alphabet
        "ABCD-1234-EFGH-567!",
        "ABCD_1234_EFGH_5678",
        "ÄBCD-1234-EFGH-5678",
    ],
)
def test_normalise_rejects_others(entered):
    assert receipts.normalise(entered) is None


@given(codes)
def test_normalise_inverts_display(code):
    assert receipts.normalise(receipts.display(code)) == code
    assert receipts.normalise(receipts.display(code).lower()) == code


@given(codes)
def test_lookup_key_is_stable_and_hides_the_code(code):
    key = receipts.lookup_key(code)
    assert key == receipts.lookup_key(code)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert code not in key.upper()


def test_hash_and_verify():
    code = random_code()
    stored = receipts.hash_code(code)
    assert stored.startswith("$argon2id$")
    assert code not in stored and receipts.display(code) not in stored
    assert receipts.verify(stored, code)
    other = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert not receipts.verify(stored, other)
    assert not receipts.verify("not a hash", code)
    assert not receipts.verify("", code)


def test_hash_uses_configured_cost(settings):
    settings.RECEIPT_ARGON2_MEMORY_KIB = 2048
    settings.RECEIPT_ARGON2_TIME_COST = 3
    stored = receipts.hash_code(random_code())
    assert "m=2048,t=3,p=1" in stored


def test_production_argon2_parameters():
    from integriteit.conf import base

    assert base.RECEIPT_ARGON2_MEMORY_KIB >= 19456  # OWASP minimum for argon2id
    assert base.RECEIPT_ARGON2_TIME_COST >= 2


def test_stored_report_keeps_only_lookup_and_hash(make_report):
    report, code = make_report()
    assert len(code) == CODE_LENGTH and receipts.normalise(code) == code
    assert report.receipt_lookup == receipts.lookup_key(code)
    assert report.receipt_hash.startswith("$argon2id$")
    assert receipts.verify(report.receipt_hash, code)
    for field in report._meta.concrete_fields:
        value = field.value_from_object(report)
        if isinstance(value, str):
            assert code not in value.upper()
            assert receipts.display(code) not in value.upper()
        if isinstance(value, bytes | memoryview):
            assert code.encode() not in bytes(value)
