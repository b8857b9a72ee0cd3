//! A parser for controller-gen marker lines and their argument values, so that the
//! derive macros can accept `// +kubebuilder:...` markers verbatim in doc comments.
//!
//! It follows controller-tools' marker parser (`pkg/markers/parse.go`), with the
//! differences listed at the end of this comment.
//!
//! # Splitting a marker line into name and arguments
//!
//! controller-gen splits `+a:b:c=rest` at the first `=` into `a:b:c` (the
//! "anonymous name") and `rest`, then asks its registry of known markers: if `a:b:c`
//! is registered, `rest` is that marker's single anonymous argument; otherwise it
//! looks up `a:b` and, when that is a marker with named fields, reads `c=rest` as its
//! list of `key=value` arguments. This parser has no registry, so [`parse_marker_line`]
//! decides as follows:
//!
//! 1. No `=` at all: the whole line is the name, with [`MarkerArgs::None`]
//!    (`optional`, `kubebuilder:subresource:status`, `kubebuilder:validation:Optional`).
//! 2. The text before the first `=` ends with `:` (`kubebuilder:default:=Allow`): the
//!    name is that text without the `:`, and the rest is a [`MarkerArgs::Single`]
//!    argument (controller-gen gets the same result: `kubebuilder:default:` is not
//!    registered, `kubebuilder:default` is, and is anonymous).
//! 3. The text before the first `=` has no `:` (`listType=map`, `groupName=x`):
//!    [`MarkerArgs::Single`].
//! 4. Otherwise, with `prefix:key=rest`, the line has named arguments
//!    ([`MarkerArgs::Named`], name `prefix`, first argument `key`) when `key` is a plain
//!    word (letters, digits, `_`) and either
//!    - `prefix` is one of controller-gen's markers with named fields
//!      (the marker table's, `kubebuilder:printcolumn`, `kubebuilder:resource`,
//!      `kubebuilder:subresource:scale`, `kubebuilder:validation:XValidation`,
//!      `kubebuilder:deprecatedversion`, `kubebuilder:metadata`, ...), which is what
//!      makes `kubebuilder:deprecatedversion:warning="old"` named although it has one
//!      argument; or
//!    - `prefix` itself contains a `:` and `rest` holds a further `,key=` pair outside
//!      quotes and braces (`kubebuilder:foo:bar=1,baz=2` for a marker unknown here).
//!
//!    Anything else is [`MarkerArgs::Single`] with the whole text before the `=` as
//!    name (`kubebuilder:validation:Minimum=1`, `kubebuilder:default=forty-two`,
//!    `kubebuilder:object:root=true`). A top-level comma in an anonymous argument is an
//!    error in controller-gen anyway (a bare string ends at `,`), so reading
//!    `,key=value` as more arguments does not change the meaning of a valid marker.
//!
//! Named argument values are split at commas outside `"..."`, `` `...` `` and `{...}`,
//! and kept as raw text for [`parse_string`], [`parse_list`], [`parse_any`], ... .
//!
//! # Values
//!
//! As in controller-gen, a value is one of: a bare string (`forty-two`, ends at `,`,
//! `;` or `}`, surrounding spaces dropped), a Go double-quoted string (`"a\"b"`, with
//! Go's escapes), a backtick raw string (`` `^[a-z]+$` ``, no escapes), an integer, a
//! float, `true`/`false`, a `{a,b}` slice, a `{key: value}` map (`{}` is an empty map),
//! or a legacy `a;b;c` slice. [`parse_any`] guesses the kind like controller-gen's
//! `guessType`: a value that starts like a number or boolean but goes on with other text
//! (`100Mi`, `2024-01-15`, `trueish`) is a string; a `{...}` whose first item is a
//! string followed by `:` is a map, otherwise a slice; a slice takes the kind of its
//! first item for all items (so `a;1` is `["a", "1"]`), while [`parse_list`] (used for
//! `Enum`, a list of any values) guesses each item on its own (`a;1` is `["a", 1]`).
//! Numbers are decimal; a float with an integral value within ±2^53 becomes a JSON
//! integer (Go's JSON encoder writes `float64(1)` as `1`).
//!
//! # Differences from controller-gen
//!
//! - Go's scanner drops `//...` and `/*...*/` comments even inside bare strings
//!   (`kubebuilder:default=http://x` gives `http:` there); here bare text is kept
//!   verbatim.
//! - controller-gen accepts `true`/`false` followed by more text as a boolean and then
//!   fails on the rest (`true-ish`); here that is the string `true-ish`.
//! - The look-ahead that tells a legacy `a;b` slice from a single value counts braces
//!   and quotes (a `;` inside `{...}` belongs to the inner value), where controller-gen
//!   stops at the first `,` or `;` anywhere; this only accepts more inputs.
//! - An empty value for [`parse_any`] is an error (controller-gen leaves the field unset).
//! - A value nested more than [`MAX_DEPTH`] levels deep is an error.
//! - `0x1f`, `0o17`, `0b1` and `1_000` are errors when they would be read as numbers, as
//!   they are in controller-gen (its integer parser is decimal only); a leading-zero
//!   integer such as `0755` is decimal 755 and `08` is a string, as there.

use serde_json::{Map, Number, Value};

/// A marker line without the leading `+`, split into its name and arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarkerLine {
    /// The marker's name, e.g. `kubebuilder:validation:Minimum` or
    /// `kubebuilder:printcolumn`.
    pub name: String,
    /// The marker's arguments, as raw text.
    pub args: MarkerArgs,
}

/// The arguments of a marker, as raw text to be read with [`parse_any`] and friends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MarkerArgs {
    /// No `=`: a flag marker such as `optional`.
    None,
    /// `name=value`: one anonymous argument.
    Single(String),
    /// `name:key=v,key2=v2`: named arguments, in the order written.
    Named(Vec<(String, String)>),
}

/// Markers of other generators whose arguments are named fields; the CRD markers with named
/// fields come from the marker table (`crate::markers::has_named_args`).
pub(crate) const OTHER_STRUCT_MARKERS: &[&str] = &[
    "kubebuilder:rbac",
    "kubebuilder:webhook",
    "kubebuilder:webhookconfiguration",
];

fn has_named_args(prefix: &str) -> bool {
    OTHER_STRUCT_MARKERS.contains(&prefix) || crate::markers::has_named_args(prefix)
}

/// Deepest nesting of `{...}` accepted in a value.
pub(crate) const MAX_DEPTH: usize = 64;

/// Splits a marker line (with or without its leading `+`) into name and arguments.
pub(crate) fn parse_marker_line(line: &str) -> Result<MarkerLine, String> {
    let line = line.trim();
    let line = line.strip_prefix('+').unwrap_or(line).trim_start();
    if line.is_empty() {
        return Err(
            "empty marker: expected a name such as `kubebuilder:validation:Minimum=1`".into(),
        );
    }
    let Some((head, rest)) = line.split_once('=') else {
        check_name(line, line)?;
        return Ok(MarkerLine {
            name: line.to_owned(),
            args: MarkerArgs::None,
        });
    };
    let head = head.trim_end();
    if let Some(name) = head.strip_suffix(':') {
        check_name(name, line)?;
        return Ok(single(name, rest));
    }
    check_name(head, line)?;
    let Some((prefix, key)) = head.rsplit_once(':') else {
        return Ok(single(head, rest));
    };
    if !is_word(key) {
        return Ok(single(head, rest));
    }
    let named =
        has_named_args(prefix) || (prefix.contains(':') && has_further_named_argument(rest));
    if !named {
        return Ok(single(head, rest));
    }
    let mut args = vec![];
    for (index, piece) in split_arguments(rest, line)?.into_iter().enumerate() {
        let (key, value) = if index == 0 {
            (key, piece.as_str())
        } else {
            split_named_argument(&piece, line)?
        };
        args.push((key.to_owned(), value.trim().to_owned()));
    }
    Ok(MarkerLine {
        name: prefix.to_owned(),
        args: MarkerArgs::Named(args),
    })
}

/// Parses controller-gen's "any" value syntax (used by `default`, `example`, ...): bare
/// strings, quoted strings, integers, floats, booleans, `{a,b}` slices, `{k: v}` maps,
/// `a;b` legacy slices, and nested combinations.
pub(crate) fn parse_any(raw: &str) -> Result<Value, String> {
    let mut parser = Parser::new(raw);
    if parser.peek_ns().is_none() {
        return Err("missing value after `=`".into());
    }
    let value = parser.parse(&Ty::Any, false)?;
    parser.finish("value")?;
    Ok(value)
}

/// Parses a list whose items may be of any kind, each guessed on its own: `a;b;"c";1`
/// or `{a, b, 1}`. An empty text is an empty list.
pub(crate) fn parse_list(raw: &str) -> Result<Vec<Value>, String> {
    let mut parser = Parser::new(raw);
    let items = parser.parse_slice(&Ty::Any)?;
    parser.finish("list")?;
    Ok(items)
}

/// Parses a string: bare (`forty-two`), `"double-quoted"` with Go escapes, or
/// `` `backtick-quoted` `` without escapes. An empty text is an empty string.
pub(crate) fn parse_string(raw: &str) -> Result<String, String> {
    let mut parser = Parser::new(raw);
    let value = parser.parse_string(false)?;
    parser.finish("string")?;
    Ok(value)
}

/// Parses `true` or `false`.
pub(crate) fn parse_bool(raw: &str) -> Result<bool, String> {
    let mut parser = Parser::new(raw);
    let value = parser.parse_bool()?;
    parser.finish("boolean")?;
    Ok(value)
}

/// Parses a decimal integer or float (`1`, `-3`, `1.5`, `.5`, `1e3`); a float with an
/// integral value within ±2^53 becomes an integer.
pub(crate) fn parse_number(raw: &str) -> Result<Number, String> {
    let mut parser = Parser::new(raw);
    let value = parser.parse_number()?;
    parser.finish("number")?;
    Ok(value)
}

fn single(name: &str, rest: &str) -> MarkerLine {
    MarkerLine {
        name: name.to_owned(),
        args: MarkerArgs::Single(rest.trim().to_owned()),
    }
}

fn check_name(name: &str, line: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("marker `{line}` has no name before `=`"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_' | '.' | '/')))
    {
        let what = if bad.is_whitespace() {
            "a space".to_owned()
        } else {
            format!("`{bad}`")
        };
        return Err(format!(
            "marker name `{name}` contains {what}; a marker looks like `name`, `name=value` or `name:key=value,key2=value2`"
        ));
    }
    if name.split(':').any(str::is_empty) {
        return Err(format!(
            "marker name `{name}` has an empty part between `:`"
        ));
    }
    Ok(())
}

/// A plain word, as Go's scanner reads an identifier: a letter or `_`, then letters,
/// digits or `_`.
fn is_word(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `rest` (the text after the first `=`) has a `,key=` outside quotes and braces.
fn has_further_named_argument(rest: &str) -> bool {
    match split_arguments(rest, rest) {
        Ok(pieces) => pieces.iter().skip(1).any(|piece| {
            piece
                .split_once('=')
                .is_some_and(|(key, _)| is_word(key.trim()))
        }),
        Err(_) => false,
    }
}

fn split_named_argument<'a>(piece: &'a str, line: &str) -> Result<(&'a str, &'a str), String> {
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        return Err(format!("empty argument between commas in marker `{line}`"));
    }
    let Some((key, value)) = trimmed.split_once('=') else {
        return Err(format!(
            "expected `key=value` after `,` in marker `{line}`, found `{trimmed}`"
        ));
    };
    let key = key.trim();
    if !is_word(key) {
        return Err(format!(
            "argument name `{key}` in marker `{line}` is not a plain word (letters, digits and `_`)"
        ));
    }
    Ok((key, value))
}

/// Splits at commas outside `"..."`, `` `...` `` (when closed) and `{...}`.
fn split_arguments(text: &str, line: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = vec![];
    let mut current = String::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let end = end_of_double_quoted(&chars, i).ok_or_else(|| {
                    format!("unterminated double-quoted string in marker `{line}`: a `\"` is never closed")
                })?;
                current.extend(&chars[i..end]);
                i = end;
                continue;
            }
            '`' => {
                if let Some(end) = end_of_raw(&chars, i) {
                    current.extend(&chars[i..end]);
                    i = end;
                    continue;
                }
            }
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1).ok_or_else(|| {
                    format!("unbalanced braces in marker `{line}`: a `}}` has no matching `{{`")
                })?;
            }
            ',' if depth == 0 => {
                pieces.push(std::mem::take(&mut current));
                i += 1;
                continue;
            }
            _ => {}
        }
        current.push(c);
        i += 1;
    }
    if depth > 0 {
        return Err(format!(
            "unbalanced braces in marker `{line}`: a `{{` is never closed"
        ));
    }
    pieces.push(current);
    Ok(pieces)
}

/// Index just past the `"` closing the string that opens at `start`.
fn end_of_double_quoted(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return Some(i + 1),
            '\n' => return None,
            _ => i += 1,
        }
    }
    None
}

/// Index just past the backtick closing the raw string that opens at `start`.
fn end_of_raw(chars: &[char], start: usize) -> Option<usize> {
    chars[start + 1..]
        .iter()
        .position(|&c| c == '`')
        .map(|offset| start + 1 + offset + 1)
}

/// The kinds of value controller-gen's argument parser knows.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Int,
    Number,
    Bool,
    String,
    Slice(Box<Ty>),
    Map,
    Any,
}

/// What a number-like token at the cursor is.
enum NumberToken {
    /// Not a number.
    None,
    /// A decimal integer (`end` is just past it).
    Int { end: usize },
    /// A decimal float.
    Float { end: usize },
    /// A token that reads as a number but cannot be parsed (`0x1f`, `1_000`).
    Unsupported { end: usize, why: &'static str },
    /// What Go's scanner rejects (`08`, `1e`): read as a string by the guesser.
    Malformed,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn new(raw: &str) -> Self {
        Parser {
            chars: raw.chars().collect(),
            pos: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Skips whitespace and returns the next character.
    fn peek_ns(&mut self) -> Option<char> {
        while self
            .peek()
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
        {
            self.pos += 1;
        }
        self.peek()
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.chars[from.min(self.chars.len())..to.min(self.chars.len())]
            .iter()
            .collect()
    }

    fn rest(&self) -> String {
        self.text(self.pos, self.chars.len())
    }

    /// Fails unless only whitespace is left.
    fn finish(&mut self, what: &str) -> Result<(), String> {
        match self.peek_ns() {
            None => Ok(()),
            Some(_) => Err(format!(
                "unexpected `{}` after the {what}; quote the value (\"...\" or `...`) if it contains `,`, `;`, `{{`, `}}` or `:`",
                self.rest()
            )),
        }
    }

    fn enter(&mut self) -> Result<(), String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!("value is nested more than {MAX_DEPTH} levels deep"));
        }
        self.depth += 1;
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn expect(&mut self, wanted: char, context: &str) -> Result<(), String> {
        match self.peek_ns() {
            Some(c) if c == wanted => {
                self.pos += 1;
                Ok(())
            }
            Some(_) => Err(format!(
                "expected `{wanted}` {context}, found `{}`",
                self.rest()
            )),
            None => Err(format!(
                "expected `{wanted}` {context}, found the end of the value"
            )),
        }
    }

    fn parse(&mut self, ty: &Ty, in_slice: bool) -> Result<Value, String> {
        match ty {
            Ty::Int => self.parse_int().map(Value::from),
            Ty::Number => self.parse_number().map(Value::Number),
            Ty::Bool => self.parse_bool().map(Value::Bool),
            Ty::String => self.parse_string(false).map(Value::String),
            Ty::Slice(item) => self.parse_slice(item).map(Value::Array),
            Ty::Map => self.parse_map(),
            Ty::Any => {
                let guessed = self.guess(!in_slice)?;
                self.parse(&guessed, in_slice)
            }
        }
    }

    /// controller-gen's `guessType`, without moving the cursor.
    fn guess(&mut self, allow_slice: bool) -> Result<Ty, String> {
        let start = self.pos;
        let saved_depth = self.depth;
        let result = if allow_slice {
            self.guess(false).map(|item| {
                self.pos = start;
                if self.legacy_slice_ahead() {
                    Ty::Slice(Box::new(item))
                } else {
                    item
                }
            })
        } else {
            self.guess_one()
        };
        self.pos = start;
        self.depth = saved_depth;
        result
    }

    fn guess_one(&mut self) -> Result<Ty, String> {
        match self.peek_ns() {
            Some('"' | '`' | '\'') => Ok(Ty::String),
            Some('{') => {
                self.enter()?;
                self.pos += 1;
                let hint = self.peek_ns();
                let first = self.guess(false)?;
                if first == Ty::String {
                    let key_then_colon =
                        self.parse_string(true).is_ok() && self.peek_ns() == Some(':');
                    if key_then_colon || hint == Some('}') {
                        return Ok(Ty::Map);
                    }
                }
                Ok(Ty::Slice(Box::new(first)))
            }
            Some('t' | 'f') => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.pos += 1;
                }
                let word = self.text(start, self.pos);
                if matches!(word.as_str(), "true" | "false") && self.at_delimiter() {
                    Ok(Ty::Bool)
                } else {
                    Ok(Ty::String)
                }
            }
            _ => {
                if self.peek() == Some('-') {
                    self.pos += 1;
                }
                match self.number_token() {
                    NumberToken::Int { end } | NumberToken::Unsupported { end, .. } => {
                        self.pos = end;
                        Ok(if self.at_delimiter() {
                            Ty::Int
                        } else {
                            Ty::String
                        })
                    }
                    NumberToken::Float { end } => {
                        self.pos = end;
                        Ok(if self.at_delimiter() {
                            Ty::Number
                        } else {
                            Ty::String
                        })
                    }
                    NumberToken::None | NumberToken::Malformed => Ok(Ty::String),
                }
            }
        }
    }

    /// Whether the next non-space character ends a value: `,`, `;`, `}` or the end.
    fn at_delimiter(&mut self) -> bool {
        matches!(self.peek_ns(), None | Some(',' | ';' | '}'))
    }

    /// Whether a `;` comes before the end of the current value (a `,` or an unmatched
    /// `}` outside quotes and braces, or the end of the text).
    fn legacy_slice_ahead(&self) -> bool {
        let mut depth = 0usize;
        let mut i = self.pos;
        while i < self.chars.len() {
            match self.chars[i] {
                '"' => match end_of_double_quoted(&self.chars, i) {
                    Some(end) => {
                        i = end;
                        continue;
                    }
                    None => return false,
                },
                '`' => {
                    if let Some(end) = end_of_raw(&self.chars, i) {
                        i = end;
                        continue;
                    }
                }
                '{' => depth += 1,
                '}' => match depth.checked_sub(1) {
                    Some(d) => depth = d,
                    None => return false,
                },
                ',' if depth == 0 => return false,
                ';' if depth == 0 => return true,
                _ => {}
            }
            i += 1;
        }
        false
    }

    /// Reads a decimal number token at the cursor (after any `-`), without moving.
    fn number_token(&self) -> NumberToken {
        let chars = &self.chars;
        let at = |i: usize| chars.get(i).copied();
        let start = self.pos;
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        if !(digit(at(start)) || (at(start) == Some('.') && digit(at(start + 1)))) {
            return NumberToken::None;
        }
        let radix = match (at(start), at(start + 1)) {
            (Some('0'), Some('x' | 'X')) => Some(16),
            (Some('0'), Some('o' | 'O')) => Some(8),
            (Some('0'), Some('b' | 'B')) => Some(2),
            _ => None,
        };
        if let Some(radix) = radix {
            let mut end = start + 2;
            while at(end).is_some_and(|c| c == '_' || c.is_digit(radix)) {
                end += 1;
            }
            if !(start + 2..end).any(|i| at(i).is_some_and(|c| c.is_digit(radix))) {
                // `0x` with no digits: a scanner error in Go, so a string.
                return NumberToken::Malformed;
            }
            return NumberToken::Unsupported {
                end,
                why: "hexadecimal, octal and binary numbers are not supported; write the number in decimal, or quote it to make it a string",
            };
        }
        let mut i = start;
        let mut underscore = false;
        let digits = |i: &mut usize, underscore: &mut bool| {
            while at(*i).is_some_and(|c| c.is_ascii_digit() || c == '_') {
                *underscore |= at(*i) == Some('_');
                *i += 1;
            }
        };
        digits(&mut i, &mut underscore);
        let integer_end = i;
        let mut float = false;
        if at(i) == Some('.') {
            float = true;
            i += 1;
            digits(&mut i, &mut underscore);
        }
        if at(i).is_some_and(|c| c == 'e' || c == 'E') {
            float = true;
            i += 1;
            if at(i).is_some_and(|c| c == '+' || c == '-') {
                i += 1;
            }
            if !digit(at(i)) {
                return NumberToken::Malformed;
            }
            digits(&mut i, &mut underscore);
        }
        if underscore {
            return NumberToken::Unsupported {
                end: i,
                why: "digit separators (`_`) are not supported in numbers",
            };
        }
        if float {
            return NumberToken::Float { end: i };
        }
        // Go reads a leading 0 as octal: `0755` is fine (and parsed as decimal 755 by
        // controller-gen), `08` is a scanner error and so a string.
        let integer: String = self.text(start, integer_end);
        if integer.len() > 1 && integer.starts_with('0') && integer.contains(['8', '9']) {
            return NumberToken::Malformed;
        }
        NumberToken::Int { end: i }
    }

    /// An optional `-` and a number token; returns the text and whether it is a float.
    fn number_text(&mut self, expected: &str) -> Result<(String, bool), String> {
        self.peek_ns();
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        match self.number_token() {
            NumberToken::Int { end } => {
                self.pos = end;
                Ok((self.text(start, end), false))
            }
            NumberToken::Float { end } => {
                self.pos = end;
                Ok((self.text(start, end), true))
            }
            NumberToken::Unsupported { end, why } => Err(format!(
                "cannot read `{}` as a number: {why}",
                self.text(start, end)
            )),
            NumberToken::None | NumberToken::Malformed => {
                self.pos = start;
                let found = self.rest();
                if found.is_empty() {
                    Err(format!("expected {expected}, found nothing"))
                } else {
                    Err(format!("expected {expected}, found `{found}`"))
                }
            }
        }
    }

    fn parse_int(&mut self) -> Result<i64, String> {
        let (text, float) = self.number_text("an integer")?;
        if float {
            return Err(format!("expected an integer, found `{text}`"));
        }
        text.parse::<i64>()
            .map_err(|_| format!("integer `{text}` is out of range"))
    }

    fn parse_number(&mut self) -> Result<Number, String> {
        let (text, float) = self.number_text("a number")?;
        if !float && let Ok(n) = text.parse::<i64>() {
            return Ok(Number::from(n));
        }
        let value: f64 = text
            .parse()
            .map_err(|_| format!("cannot read `{text}` as a number"))?;
        if !value.is_finite() {
            return Err(format!("number `{text}` is out of range"));
        }
        const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
        if value.fract() == 0.0 && value.abs() <= EXACT {
            // Integral and exactly representable, so the cast is lossless.
            return Ok(Number::from(value as i64));
        }
        Number::from_f64(value).ok_or_else(|| format!("number `{text}` is out of range"))
    }

    fn parse_bool(&mut self) -> Result<bool, String> {
        self.peek_ns();
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            self.pos += 1;
        }
        match self.text(start, self.pos).as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => {
                self.pos = start;
                let found = self.rest();
                if found.is_empty() {
                    Err("expected true or false, found nothing".into())
                } else {
                    Err(format!("expected true or false, found `{found}`"))
                }
            }
        }
    }

    /// A quoted string, or bare text up to `,`, `;`, `}` (and `:` for map keys).
    fn parse_string(&mut self, map_key: bool) -> Result<String, String> {
        match self.peek_ns() {
            Some('"') => self.parse_double_quoted(),
            Some('`') => match end_of_raw(&self.chars, self.pos) {
                Some(end) => {
                    // Go drops carriage returns from raw strings.
                    let text = self.text(self.pos + 1, end - 1).replace('\r', "");
                    self.pos = end;
                    Ok(text)
                }
                // An unclosed backtick is an ordinary character, as in controller-gen
                // (which retries without raw strings).
                None => self.parse_bare(map_key),
            },
            _ => self.parse_bare(map_key),
        }
    }

    fn parse_bare(&mut self, map_key: bool) -> Result<String, String> {
        let start = self.pos;
        let mut end = start;
        while let Some(c) = self.peek_ns() {
            if matches!(c, ',' | ';' | '}') || (map_key && c == ':') {
                break;
            }
            match c {
                '"' => {
                    let close = end_of_double_quoted(&self.chars, self.pos).ok_or_else(|| {
                        format!(
                            "unterminated double-quoted string: `{}` has no closing `\"`",
                            self.rest()
                        )
                    })?;
                    self.pos = close;
                }
                '`' => {
                    self.pos = end_of_raw(&self.chars, self.pos).unwrap_or(self.pos + 1);
                }
                _ => self.pos += 1,
            }
            end = self.pos;
        }
        Ok(self.text(start, end))
    }

    fn parse_double_quoted(&mut self) -> Result<String, String> {
        let start = self.pos;
        let end = end_of_double_quoted(&self.chars, start).ok_or_else(|| {
            format!(
                "unterminated double-quoted string: `{}` has no closing `\"`",
                self.rest()
            )
        })?;
        let literal = self.text(start, end);
        let body = &self.chars[start + 1..end - 1];
        self.pos = end;
        unquote(body).map_err(|why| format!("invalid string {literal}: {why}"))
    }

    fn parse_slice(&mut self, item: &Ty) -> Result<Vec<Value>, String> {
        let mut items = vec![];
        if self.peek_ns() == Some('{') {
            self.enter()?;
            self.pos += 1;
            loop {
                match self.peek_ns() {
                    Some('}') => break,
                    None => return Err("unbalanced braces: a `{` is never closed".into()),
                    _ => {}
                }
                items.push(self.parse(item, true)?);
                match self.peek_ns() {
                    Some('}') => break,
                    Some(',') => self.pos += 1,
                    None => return Err("unbalanced braces: a `{` is never closed".into()),
                    Some(_) => {
                        return Err(format!(
                            "expected `,` or `}}` after a list item, found `{}`",
                            self.rest()
                        ));
                    }
                }
            }
            self.pos += 1;
            self.leave();
            return Ok(items);
        }
        loop {
            if matches!(self.peek_ns(), None | Some(',' | '}')) {
                break;
            }
            items.push(self.parse(item, true)?);
            match self.peek_ns() {
                None | Some(',' | '}') => break,
                Some(';') => self.pos += 1,
                Some(_) => {
                    return Err(format!(
                        "expected `;` between list items, found `{}`",
                        self.rest()
                    ));
                }
            }
        }
        Ok(items)
    }

    fn parse_map(&mut self) -> Result<Value, String> {
        self.expect('{', "to open a map")?;
        self.enter()?;
        let mut map = Map::new();
        loop {
            match self.peek_ns() {
                Some('}') => break,
                None => return Err("unbalanced braces: a `{` is never closed".into()),
                _ => {}
            }
            let key = self.parse_string(true)?;
            self.expect(':', &format!("after map key `{key}`"))?;
            let value = self.parse(&Ty::Any, false)?;
            map.insert(key, value);
            match self.peek_ns() {
                Some('}') => break,
                Some(',') => self.pos += 1,
                None => return Err("unbalanced braces: a `{` is never closed".into()),
                Some(_) => {
                    return Err(format!(
                        "expected `,` or `}}` after a map entry, found `{}`",
                        self.rest()
                    ));
                }
            }
        }
        self.pos += 1;
        self.leave();
        Ok(Value::Object(map))
    }
}

/// Go's escapes for double-quoted strings (`strconv.Unquote`), on the text between the
/// quotes.
fn unquote(body: &[char]) -> Result<String, String> {
    let mut bytes: Vec<u8> = Vec::with_capacity(body.len());
    let mut i = 0;
    let push_char = |bytes: &mut Vec<u8>, c: char| {
        let mut buf = [0u8; 4];
        bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    };
    let hex = |digits: &[char]| -> Option<u32> {
        let text: String = digits.iter().collect();
        if text.chars().all(|c| c.is_ascii_hexdigit()) {
            u32::from_str_radix(&text, 16).ok()
        } else {
            None
        }
    };
    while i < body.len() {
        let c = body[i];
        if c != '\\' {
            push_char(&mut bytes, c);
            i += 1;
            continue;
        }
        let Some(&escape) = body.get(i + 1) else {
            return Err("a `\\` at the end has nothing to escape".into());
        };
        i += 2;
        match escape {
            'a' => bytes.push(0x07),
            'b' => bytes.push(0x08),
            'f' => bytes.push(0x0c),
            'n' => bytes.push(b'\n'),
            'r' => bytes.push(b'\r'),
            't' => bytes.push(b'\t'),
            'v' => bytes.push(0x0b),
            '\\' => bytes.push(b'\\'),
            '"' => bytes.push(b'"'),
            'x' => {
                let digits = body.get(i..i + 2).ok_or("`\\x` needs two hex digits")?;
                let value = hex(digits).ok_or("`\\x` needs two hex digits")?;
                bytes.push(value as u8);
                i += 2;
            }
            '0'..='7' => {
                let digits = body
                    .get(i - 1..i + 2)
                    .ok_or("an octal escape needs three digits")?;
                let text: String = digits.iter().collect();
                let value = u32::from_str_radix(&text, 8)
                    .ok()
                    .filter(|v| *v <= 255)
                    .ok_or("an octal escape needs three digits from 000 to 377")?;
                bytes.push(value as u8);
                i += 2;
            }
            'u' | 'U' => {
                let len = if escape == 'u' { 4 } else { 8 };
                let digits = body
                    .get(i..i + len)
                    .ok_or_else(|| format!("`\\{escape}` needs {len} hex digits"))?;
                let code =
                    hex(digits).ok_or_else(|| format!("`\\{escape}` needs {len} hex digits"))?;
                let c = char::from_u32(code)
                    .ok_or_else(|| format!("`\\{escape}{code:X}` is not a valid character"))?;
                push_char(&mut bytes, c);
                i += len;
            }
            other => return Err(format!("unknown escape `\\{other}`")),
        }
    }
    String::from_utf8(bytes)
        .map_err(|_| "its `\\x` or octal escapes do not form valid UTF-8".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn line(text: &str) -> MarkerLine {
        parse_marker_line(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn named(name: &str, args: &[(&str, &str)]) -> MarkerLine {
        MarkerLine {
            name: name.into(),
            args: MarkerArgs::Named(
                args.iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            ),
        }
    }

    fn single_line(name: &str, value: &str) -> MarkerLine {
        MarkerLine {
            name: name.into(),
            args: MarkerArgs::Single(value.into()),
        }
    }

    fn flag(name: &str) -> MarkerLine {
        MarkerLine {
            name: name.into(),
            args: MarkerArgs::None,
        }
    }

    #[test]
    fn single_argument_markers() {
        assert_eq!(
            line("kubebuilder:validation:Minimum=1"),
            single_line("kubebuilder:validation:Minimum", "1")
        );
        assert_eq!(
            line("kubebuilder:validation:Pattern=`^[a-z]+$`"),
            single_line("kubebuilder:validation:Pattern", "`^[a-z]+$`")
        );
        assert_eq!(
            line("kubebuilder:validation:Enum=Allow;Forbid;Replace"),
            single_line("kubebuilder:validation:Enum", "Allow;Forbid;Replace")
        );
        assert_eq!(
            line("kubebuilder:default:=Allow"),
            single_line("kubebuilder:default", "Allow")
        );
        assert_eq!(
            line("kubebuilder:default=forty-two"),
            single_line("kubebuilder:default", "forty-two")
        );
        assert_eq!(line("listType=map"), single_line("listType", "map"));
        assert_eq!(line("listMapKey=name"), single_line("listMapKey", "name"));
        assert_eq!(
            line("kubebuilder:object:root=true"),
            single_line("kubebuilder:object:root", "true")
        );
        assert_eq!(
            line("kubebuilder:default={a: 1, b: {c: 2}}"),
            single_line("kubebuilder:default", "{a: 1, b: {c: 2}}")
        );
        assert_eq!(
            line("kubebuilder:validation:items:Maximum=10"),
            single_line("kubebuilder:validation:items:Maximum", "10")
        );
        assert_eq!(
            line("kubebuilder:example=\"a=b,c=d\""),
            single_line("kubebuilder:example", "\"a=b,c=d\"")
        );
    }

    #[test]
    fn the_leading_plus_and_spaces_are_optional() {
        assert_eq!(
            line("  +kubebuilder:validation:Minimum=1  "),
            single_line("kubebuilder:validation:Minimum", "1")
        );
        assert_eq!(line("+optional"), flag("optional"));
    }

    #[test]
    fn flag_markers() {
        for name in [
            "optional",
            "kubebuilder:validation:Optional",
            "nullable",
            "kubebuilder:subresource:status",
            "k8s:immutable",
            "kubebuilder:deprecatedversion",
            "kubebuilder:object:root",
        ] {
            assert_eq!(line(name), flag(name));
        }
    }

    #[test]
    fn named_argument_markers() {
        assert_eq!(
            line(
                r#"kubebuilder:printcolumn:name="Age",type="date",JSONPath=".metadata.creationTimestamp""#
            ),
            named(
                "kubebuilder:printcolumn",
                &[
                    ("name", "\"Age\""),
                    ("type", "\"date\""),
                    ("JSONPath", "\".metadata.creationTimestamp\""),
                ]
            )
        );
        assert_eq!(
            line(r#"kubebuilder:validation:XValidation:rule="self.a == 'x', really",message="m""#),
            named(
                "kubebuilder:validation:XValidation",
                &[("rule", "\"self.a == 'x', really\""), ("message", "\"m\"")]
            )
        );
        assert_eq!(
            line("kubebuilder:resource:path=quotas,scope=Cluster,shortName=q;qq"),
            named(
                "kubebuilder:resource",
                &[
                    ("path", "quotas"),
                    ("scope", "Cluster"),
                    ("shortName", "q;qq")
                ]
            )
        );
        assert_eq!(
            line(
                "kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas,selectorpath=.status.selector"
            ),
            named(
                "kubebuilder:subresource:scale",
                &[
                    ("specpath", ".spec.replicas"),
                    ("statuspath", ".status.replicas"),
                    ("selectorpath", ".status.selector"),
                ]
            )
        );
        assert_eq!(
            line(r#"kubebuilder:metadata:annotations="a=b";"c=d""#),
            named("kubebuilder:metadata", &[("annotations", r#""a=b";"c=d""#)])
        );
        assert_eq!(
            line(r#"kubebuilder:deprecatedversion:warning="old""#),
            named("kubebuilder:deprecatedversion", &[("warning", "\"old\"")])
        );
        assert_eq!(
            line(r#"kubebuilder:validation:XValidation:rule="self > 0""#),
            named(
                "kubebuilder:validation:XValidation",
                &[("rule", "\"self > 0\"")]
            )
        );
        assert_eq!(
            line("kubebuilder:selectablefield:JSONPath=`.spec.x`"),
            named("kubebuilder:selectablefield", &[("JSONPath", "`.spec.x`")])
        );
    }

    #[test]
    fn named_arguments_of_markers_not_listed() {
        // Unknown to the table, but `,key=` shows the arguments are named.
        assert_eq!(
            line("kubebuilder:foo:bar=1, baz = {a,b} ,qux=`x,y`"),
            named(
                "kubebuilder:foo",
                &[("bar", "1"), ("baz", "{a,b}"), ("qux", "`x,y`")]
            )
        );
        // A one-part prefix is never a struct marker name.
        assert_eq!(
            line("kubebuilder:example=a,b=c"),
            single_line("kubebuilder:example", "a,b=c")
        );
        // One argument of an unlisted marker reads as a single anonymous argument.
        assert_eq!(
            line("kubebuilder:foo:bar=1"),
            single_line("kubebuilder:foo:bar", "1")
        );
    }

    #[test]
    fn named_values_parse_with_the_value_parsers() {
        let MarkerArgs::Named(args) =
            line("kubebuilder:resource:path=quotas,scope=Cluster,shortName=q;qq").args
        else {
            panic!("not named")
        };
        assert_eq!(parse_string(&args[0].1).unwrap(), "quotas");
        assert_eq!(
            parse_list(&args[2].1).unwrap(),
            vec![json!("q"), json!("qq")]
        );

        let MarkerArgs::Named(args) = line(r#"kubebuilder:metadata:annotations="a=b";"c=d""#).args
        else {
            panic!("not named")
        };
        assert_eq!(
            parse_list(&args[0].1).unwrap(),
            vec![json!("a=b"), json!("c=d")]
        );

        let MarkerArgs::Named(args) = line(
            r#"kubebuilder:validation:XValidation:rule="self.a == 'x', really",message="m",optionalOldSelf=true"#,
        )
        .args
        else {
            panic!("not named")
        };
        assert_eq!(parse_string(&args[0].1).unwrap(), "self.a == 'x', really");
        assert!(parse_bool(&args[2].1).unwrap());
    }

    #[test]
    fn malformed_marker_lines() {
        let cases = [
            ("", "empty marker"),
            ("+", "empty marker"),
            ("=1", "no name"),
            ("kubebuilder:validation:Minimum =", "missing value"),
            ("kubebuilder validation=1", "contains a space"),
            ("kubebuilder::default=1", "empty part"),
            ("kubebuilder:default=\"x", "unterminated"),
            (
                r#"kubebuilder:printcolumn:name="Age,type=date"#,
                "unterminated",
            ),
            ("kubebuilder:printcolumn:name=x,type={a", "never closed"),
            ("kubebuilder:printcolumn:name=x},type=a", "no matching"),
            ("kubebuilder:printcolumn:name=x,,type=a", "empty argument"),
            ("kubebuilder:printcolumn:name=x,", "empty argument"),
            (
                "kubebuilder:printcolumn:name=x,oops",
                "expected `key=value`",
            ),
            ("kubebuilder:printcolumn:name=x,a b=c", "not a plain word"),
            ("kubebuilder:valid#ation:Minimum=1", "contains `#`"),
        ];
        for (input, wanted) in cases {
            match parse_marker_line(input) {
                Err(message) => assert!(
                    message.contains(wanted),
                    "{input:?}: {message:?} does not mention {wanted:?}"
                ),
                Ok(ok) => {
                    // Lines that are well-formed as lines fail when their value is read.
                    let MarkerArgs::Single(value) = &ok.args else {
                        panic!("{input:?} parsed as {ok:?}");
                    };
                    let message = parse_any(value).unwrap_err();
                    assert!(
                        message.contains(wanted),
                        "{input:?}: {message:?} does not mention {wanted:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn any_scalars() {
        let cases = [
            ("forty-two", json!("forty-two")),
            ("Allow", json!("Allow")),
            ("  spaced out  ", json!("spaced out")),
            ("\"quoted, with comma\"", json!("quoted, with comma")),
            ("`^[a-z]+$`", json!("^[a-z]+$")),
            ("`back\\slash`", json!("back\\slash")),
            ("1", json!(1)),
            ("-7", json!(-7)),
            ("0", json!(0)),
            ("0755", json!(755)),
            ("1.5", json!(1.5)),
            ("-0.25", json!(-0.25)),
            (".5", json!(0.5)),
            ("1.0", json!(1)),
            ("1e3", json!(1000)),
            ("2.5e-1", json!(0.25)),
            ("true", json!(true)),
            ("false", json!(false)),
            ("True", json!("True")),
            ("trueish", json!("trueish")),
            ("true-ish", json!("true-ish")),
            ("fast", json!("fast")),
            ("100Mi", json!("100Mi")),
            ("2024-01-15", json!("2024-01-15")),
            ("123/config", json!("123/config")),
            ("08", json!("08")),
            ("1e", json!("1e")),
            ("+1", json!("+1")),
            ("-", json!("-")),
            ("-abc", json!("-abc")),
            ("'single'", json!("'single'")),
            ("it's", json!("it's")),
            ("a \"b,c\" d", json!("a \"b,c\" d")),
            ("http:x", json!("http:x")),
            ("ünïcødé ✓", json!("ünïcødé ✓")),
            ("`unclosed", json!("`unclosed")),
            ("0xyz", json!("0xyz")),
            ("0x1g", json!("0x1g")),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_any(input), Ok(expected), "{input:?}");
        }
    }

    #[test]
    fn any_collections() {
        let cases = [
            ("{}", json!({})),
            ("{ }", json!({})),
            ("{a,b}", json!(["a", "b"])),
            ("{1,2}", json!([1, 2])),
            ("{1.5, 2}", json!([1.5, 2])),
            ("{true,false}", json!([true, false])),
            ("{a,b,}", json!(["a", "b"])),
            (
                "{key: value, k2: {nested: 1}}",
                json!({"key": "value", "k2": {"nested": 1}}),
            ),
            ("{\"quoted key\": \"v\"}", json!({"quoted key": "v"})),
            ("{a: {b: {c: {}}}}", json!({"a": {"b": {"c": {}}}})),
            (
                "{a: {1,2}, b: true, c: 1.5, d: x}",
                json!({"a": [1, 2], "b": true, "c": 1.5, "d": "x"}),
            ),
            ("{{1,2},{3}}", json!([[1, 2], [3]])),
            ("{{a: 1}, {a: 2}}", json!([{"a": 1}, {"a": 2}])),
            ("{policy: \"delete\"}", json!({"policy": "delete"})),
            ("{url: http://x/y}", json!({"url": "http://x/y"})),
            ("{a: b;c, d: e}", json!({"a": ["b", "c"], "d": "e"})),
            ("a;b;c", json!(["a", "b", "c"])),
            ("1;2;3", json!([1, 2, 3])),
            // A slice takes the kind of its first item.
            ("a;1", json!(["a", "1"])),
            ("a;b;\"c\";1", json!(["a", "b", "c", "1"])),
            ("{a,1}", json!(["a", "1"])),
            // A map key is a string even when it looks like a number.
            ("{1: a}", json!({"1": "a"})),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_any(input), Ok(expected), "{input:?}");
        }
    }

    #[test]
    fn lists() {
        let cases = [
            (
                "Allow;Forbid;Replace",
                json!(["Allow", "Forbid", "Replace"]),
            ),
            ("a;b;\"c\";1", json!(["a", "b", "c", 1])),
            ("{a,b}", json!(["a", "b"])),
            (
                "{a, 1, true, 1.5, \"x;y\"}",
                json!(["a", 1, true, 1.5, "x;y"]),
            ),
            ("\"a=b\";\"c=d\"", json!(["a=b", "c=d"])),
            ("single", json!(["single"])),
            ("", json!([])),
            ("{}", json!([])),
            ("a;;b", json!(["a", "", "b"])),
            ("a;", json!(["a"])),
            ("1;2", json!([1, 2])),
            ("a b;c d e", json!(["a b", "c d e"])),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_list(input).map(Value::Array),
                Ok(expected),
                "{input:?}"
            );
        }
    }

    #[test]
    fn strings() {
        let cases = [
            ("forty-two", "forty-two"),
            ("", ""),
            ("  padded  ", "padded"),
            ("\"\"", ""),
            (r#""tab\there""#, "tab\there"),
            (
                r#""quote \" and backslash \\""#,
                "quote \" and backslash \\",
            ),
            (r#""\x41\101\u00e9\U0001F600""#, "AAé😀"),
            (r#""\a\b\f\n\r\v""#, "\u{7}\u{8}\u{c}\n\r\u{b}"),
            ("`raw \\n stays`", "raw \\n stays"),
            ("`^[a-z]+$`", "^[a-z]+$"),
            ("self.a == 'x'", "self.a == 'x'"),
            ("1", "1"),
            ("true", "true"),
            ("a:b", "a:b"),
            ("{", "{"),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_string(input).as_deref(), Ok(expected), "{input:?}");
        }
    }

    #[test]
    fn bools_and_numbers() {
        assert_eq!(parse_bool("true"), Ok(true));
        assert_eq!(parse_bool(" false "), Ok(false));
        assert_eq!(parse_number("1"), Ok(Number::from(1)));
        assert_eq!(parse_number("-3"), Ok(Number::from(-3)));
        assert_eq!(
            parse_number("1.5"),
            Number::from_f64(1.5).ok_or(String::new())
        );
        assert_eq!(parse_number("2.0"), Ok(Number::from(2)));
        assert_eq!(
            parse_number("1e300"),
            Number::from_f64(1e300).ok_or(String::new())
        );
        assert_eq!(
            parse_number("9223372036854775807"),
            Ok(Number::from(i64::MAX))
        );
        assert_eq!(
            parse_number("99999999999999999999"),
            Number::from_f64(1e20).ok_or(String::new())
        );
    }

    #[test]
    fn malformed_values() {
        let any_cases = [
            ("", "missing value"),
            ("   ", "missing value"),
            ("\"unterminated", "unterminated double-quoted string"),
            ("a \"b", "unterminated double-quoted string"),
            ("{a,b", "never closed"),
            ("{a: 1", "never closed"),
            ("{a: {b: 1}", "never closed"),
            ("{a,b}}", "unexpected `}`"),
            ("a,b", "unexpected `,b`"),
            ("}", "unexpected `}`"),
            ("{a: 1, b}", "expected `:` after map key `b`"),
            ("{a: \"x\" y}", "expected `,` or `}` after a map entry"),
            ("{1, 2: a}", "expected `,` or `}` after a list item"),
            // As in controller-gen, a list that starts with `{` is the braced form.
            ("{a};{b,c}", "unexpected `;{b,c}`"),
            ("{1, a}", "expected an integer, found `a}`"),
            ("{true, 1}", "expected true or false"),
            ("1;a", "expected an integer"),
            ("\"bad \\q escape\"", "unknown escape"),
            ("\"\\x4\"", "two hex digits"),
            ("\"\\u12\"", "4 hex digits"),
            ("\"\\uD800\"", "not a valid character"),
            ("\"\\xff\"", "valid UTF-8"),
            ("\"\\400\"", "octal"),
            ("\"trailing\\", "unterminated"),
            ("0x1f", "hexadecimal"),
            ("{0b101}", "hexadecimal, octal and binary"),
            ("1_000", "digit separators"),
            ("99999999999999999999", "out of range"),
            ("\"a\" b", "unexpected `b`"),
        ];
        for (input, wanted) in any_cases {
            let message = parse_any(input).unwrap_err();
            assert!(
                message.contains(wanted),
                "{input:?}: {message:?} does not mention {wanted:?}"
            );
        }
        let other_cases = [
            (
                parse_bool("yes").map(|_| ()),
                "expected true or false, found `yes`",
            ),
            (parse_bool("").map(|_| ()), "found nothing"),
            (parse_bool("true,").map(|_| ()), "unexpected `,`"),
            (
                parse_number("abc").map(|_| ()),
                "expected a number, found `abc`",
            ),
            (parse_number("").map(|_| ()), "found nothing"),
            (parse_number("1.5.6").map(|_| ()), "unexpected `.6`"),
            (parse_number("1e999").map(|_| ()), "out of range"),
            (parse_number("0x10").map(|_| ()), "hexadecimal"),
            (parse_string("a;b").map(|_| ()), "unexpected `;b`"),
            (parse_string("\"a\"b").map(|_| ()), "unexpected `b`"),
            (parse_string("\"open").map(|_| ()), "unterminated"),
            (parse_list("a;b,c").map(|_| ()), "unexpected `,c`"),
            (parse_list("{1,2};{3}").map(|_| ()), "unexpected `;{3}`"),
            (parse_list("{a;b}").map(|_| ()), "expected `,` or `}`"),
            (parse_list("a;\"b").map(|_| ()), "unterminated"),
        ];
        for (result, wanted) in other_cases {
            let message = result.unwrap_err();
            assert!(
                message.contains(wanted),
                "{message:?} does not mention {wanted:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "{".repeat(10_000), "}".repeat(10_000));
        assert!(parse_any(&deep).unwrap_err().contains("nested more than"));
        assert!(parse_list(&deep).unwrap_err().contains("nested more than"));
        let deep_map = format!("{}1{}", "{a: ".repeat(1_000), "}".repeat(1_000));
        assert!(
            parse_any(&deep_map)
                .unwrap_err()
                .contains("nested more than")
        );
        let ok = format!("{}{}", "{".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert!(parse_any(&ok).is_ok());
    }

    #[test]
    fn never_panics_on_junk() {
        let alphabet = [
            "{", "}", ",", ";", ":", "\"", "`", "'", "\\", "=", "a", "1", ".", "-", "e", " ", "t",
            "x", "0", "é", "+", "_",
        ];
        // Every string of up to four pieces from the alphabet.
        let mut inputs = vec![String::new()];
        for _ in 0..4 {
            let mut next = vec![];
            for prefix in &inputs {
                for piece in alphabet {
                    next.push(format!("{prefix}{piece}"));
                }
            }
            inputs.extend(next);
        }
        for input in &inputs {
            let _ = parse_any(input);
            let _ = parse_list(input);
            let _ = parse_string(input);
            let _ = parse_bool(input);
            let _ = parse_number(input);
            let _ = parse_marker_line(input);
            let _ = parse_marker_line(&format!("kubebuilder:printcolumn:name={input}"));
            let _ = parse_marker_line(&format!("kubebuilder:x:y=1,z={input}"));
        }
    }
}
