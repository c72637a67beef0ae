"""Tokens and their slow hash: the secret is never stored, only an argon2id hash of it."""

from __future__ import annotations

from defport_kg.auth.hashing import fingerprint, hash_secret, new_token, parse_token, verify_secret


def test_a_new_token_parses_back_into_its_parts() -> None:
    text, token = new_token()
    assert text == f"dpk_{token.key_id}_{token.secret}"
    assert parse_token(text) == token
    assert parse_token(f"  {text}\n") == token
    assert len(token.key_id) == 12 and len(token.secret) >= 40


def test_tokens_are_random() -> None:
    assert len({new_token()[0] for _ in range(50)}) == 50


def test_text_that_is_no_token_does_not_parse() -> None:
    for text in (
        "",
        "dpk_",
        "dpk_0123456789ab",
        "dpk_0123456789ab_short",
        "xyz_0123456789ab_" + "a" * 40,
        "dpk_0123456789AB_" + "a" * 40,
        "dpk_0123456789ab_" + "a" * 40 + "!",
    ):
        assert parse_token(text) is None, text


def test_the_hash_is_argon2id_salted_and_verifies_only_the_secret() -> None:
    first, second = hash_secret("s3cret"), hash_secret("s3cret")
    assert first.startswith("$argon2id$") and first != second and "s3cret" not in first
    assert verify_secret(first, "s3cret") and verify_secret(second, "s3cret")
    assert not verify_secret(first, "s3cret!")
    assert not verify_secret("not a hash", "s3cret")


def test_the_cache_key_is_a_digest_not_the_token() -> None:
    text, _ = new_token()
    assert fingerprint(text) == fingerprint(text) and text not in fingerprint(text)
