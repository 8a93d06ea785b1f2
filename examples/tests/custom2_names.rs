//! `custom2.Custom.name()` joins the names as C's `%S %S` does: any
//! characters, `str()` of non-strings, and the error `str()` raises.

use examples::custom2;

#[test]
fn name_keeps_every_character_as_c_does() {
    let check = r#"
import custom2
c = custom2.Custom("\udc80", 42)
assert c.name() == "\udc80 42", ascii(c.name())

class Bad:
    def __str__(self):
        raise ValueError("no str")

c.last = Bad()
try:
    c.name()
except ValueError as e:
    assert str(e) == "no str"
else:
    raise AssertionError("name() should raise")
"#;
    tutorial_embed::run_python(&[("custom2", custom2::init)], check)
        .unwrap_or_else(|traceback| panic!("{traceback}"));
}
