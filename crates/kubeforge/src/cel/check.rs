//! Parses one CEL expression and walks it with the declared types of `self` and `oldSelf`,
//! reporting what kube-apiserver's type checker would refuse and this model can be sure of:
//! syntax errors, fields the schema does not declare, undeclared variables, operands of
//! different kinds in comparisons and arithmetic, and a result of the wrong type.
//!
//! Everything unknown (int-or-string, preserved fields, functions without a result type here)
//! is [`Ty::Dyn`] and accepted, so a rule the apiserver compiles is never refused.

use std::fmt;

use ::cel::common::ast::{CallExpr, ComprehensionExpr, Expr, IdedExpr, LiteralValue, SourceInfo};
use ::cel::common::ast::{ListExpr, operators};
use ::cel::parser::Parser;

use super::types::{Field, Ty};

/// What the whole expression must evaluate to.
#[derive(Clone, Copy)]
pub(super) enum Expect {
    /// A validation `rule`.
    Bool,
    /// A `messageExpression`.
    String,
}

/// One thing wrong, at a 1-based line and column of the expression.
#[derive(Debug, PartialEq)]
pub(super) struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 1 {
            write!(f, "{} at column {}", self.message, self.column)
        } else {
            write!(
                f,
                "{} at line {}, column {}",
                self.message, self.line, self.column
            )
        }
    }
}

/// Identifiers that denote types (`type(x) == string`).
const TYPE_NAMES: &[&str] = &[
    "int",
    "uint",
    "double",
    "bool",
    "string",
    "bytes",
    "list",
    "map",
    "null_type",
    "type",
    "dyn",
];

/// Two-variable comprehensions (`self.all(k, v, ...)`): the parser leaves them as calls.
const TWO_VARIABLE_MACROS: &[&str] = &[
    "all",
    "exists",
    "existsOne",
    "exists_one",
    "transformList",
    "transformMap",
    "transformMapEntry",
];

pub(super) fn check<'a>(
    source: &str,
    self_ty: &Ty<'a>,
    old_self: &Ty<'a>,
    expect: Expect,
) -> Vec<Problem> {
    // The apiserver enables optional syntax (`self.?x`, `[?x]`); backtick-quoted fields are
    // accepted too rather than risk refusing a rule a newer apiserver compiles.
    let parsed = Parser::new()
        .enable_optional_syntax(true)
        .enable_ident_escape_syntax(true)
        .parse_with_source_info(source);
    let (expr, info) = match parsed {
        Ok(parsed) => parsed,
        Err(errors) => {
            return errors
                .errors
                .first()
                .map(|e| Problem {
                    line: usize::try_from(e.pos.0).unwrap_or(1).max(1),
                    column: usize::try_from(e.pos.1).unwrap_or(1).max(1),
                    message: format!(
                        "syntax error: {}",
                        e.msg.strip_prefix("Syntax error: ").unwrap_or(&e.msg)
                    ),
                })
                .into_iter()
                .collect();
        }
    };
    let chars: Vec<char> = source.chars().collect();
    let mut walker = Walker {
        chars: &chars,
        info: &info,
        scopes: vec![
            ("self".to_owned(), self_ty.clone()),
            ("oldSelf".to_owned(), old_self.clone()),
        ],
        problems: Vec::new(),
    };
    let result = walker.ty(&expr);
    let (wanted, what) = match expect {
        Expect::Bool => ("bool", "a rule"),
        Expect::String => ("string", "a messageExpression"),
    };
    if result.kind().is_some_and(|k| k != wanted) && walker.problems.is_empty() {
        walker.problems.push(walker.at(
            0,
            format!("{what} must evaluate to a {wanted}, not {result}"),
        ));
    }
    walker.problems
}

struct Walker<'s, 'a> {
    /// The expression; the parser's offsets count characters.
    chars: &'s [char],
    info: &'s SourceInfo,
    scopes: Vec<(String, Ty<'a>)>,
    problems: Vec<Problem>,
}

impl<'a> Walker<'_, 'a> {
    fn ty(&mut self, e: &IdedExpr) -> Ty<'a> {
        match &e.expr {
            Expr::Literal(lit) => literal(lit),
            Expr::Ident(name) => self.ident(e.id, name),
            Expr::Select(select) => {
                let operand = self.ty(&select.operand);
                let field = self.select(e.id, select.operand.id, &operand, &select.field);
                if select.test { Ty::Bool } else { field }
            }
            Expr::Call(call) => self.call(e.id, call),
            Expr::Comprehension(c) => self.comprehension(c),
            Expr::List(list) => self.list(list),
            Expr::Map(map) => {
                for entry in &map.entries {
                    if let ::cel::common::ast::EntryExpr::MapEntry(m) = &entry.expr {
                        self.ty(&m.key);
                        self.ty(&m.value);
                    }
                }
                Ty::Map(Box::new(Ty::Dyn))
            }
            Expr::Struct(s) => {
                for entry in &s.entries {
                    if let ::cel::common::ast::EntryExpr::StructField(f) = &entry.expr {
                        self.ty(&f.value);
                    }
                }
                Ty::Dyn
            }
            Expr::Unspecified => Ty::Dyn,
        }
    }

    fn ident(&mut self, id: u64, name: &str) -> Ty<'a> {
        if let Some((_, ty)) = self.scopes.iter().rev().find(|(n, _)| n == name) {
            return ty.clone();
        }
        if TYPE_NAMES.contains(&name) {
            return Ty::Type;
        }
        // `google.protobuf.Timestamp` and friends are qualified type names.
        if name != "google" {
            let problem = self.at(
                self.offset(id),
                format!("undeclared reference to \"{name}\""),
            );
            self.problems.push(problem);
        }
        Ty::Dyn
    }

    /// `operand.field`; the problem points at the field name.
    fn select(&mut self, id: u64, operand_id: u64, operand: &Ty<'a>, field: &str) -> Ty<'a> {
        // Only a backtick-quoted name can hold other characters; how the apiserver maps those
        // to properties is not modelled.
        if !field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Ty::Dyn;
        }
        match operand.field(field) {
            Field::Found(ty) => ty,
            Field::Missing { hint } => {
                let at = self.field_offset(id, operand_id, field);
                let hint = hint.map(|h| format!(" ({h})")).unwrap_or_default();
                let problem = self.at(at, format!("no such field \"{field}\"{hint}"));
                self.problems.push(problem);
                Ty::Dyn
            }
            Field::NotAnObject => {
                let at = self.field_offset(id, operand_id, field);
                let problem = self.at(
                    at,
                    format!("cannot select \"{field}\" from a {operand}, which has no fields"),
                );
                self.problems.push(problem);
                Ty::Dyn
            }
        }
    }

    fn call(&mut self, id: u64, call: &CallExpr) -> Ty<'a> {
        let f = call.func_name.as_str();
        if let Some(target) = &call.target
            && TWO_VARIABLE_MACROS.contains(&f)
            && call.args.len() >= 3
            && let (Expr::Ident(first), Expr::Ident(second)) =
                (&call.args[0].expr, &call.args[1].expr)
        {
            let (key, value) = self.ty(target).iteration();
            return self.scoped(&[(first, key), (second, value)], |w| {
                for arg in &call.args[2..] {
                    w.ty(arg);
                }
                match f {
                    "transformList" => Ty::List(Box::new(Ty::Dyn)),
                    "transformMap" | "transformMapEntry" => Ty::Map(Box::new(Ty::Dyn)),
                    _ => Ty::Bool,
                }
            });
        }
        if f == operators::OPT_SELECT
            && let [operand, field] = call.args.as_slice()
            && let Expr::Literal(LiteralValue::String(name)) = &field.expr
        {
            let operand_ty = self.ty(operand);
            self.select(field.id, operand.id, &operand_ty, name);
            return Ty::Dyn;
        }
        let target = match call.target.as_deref() {
            // `optional.of(x)`, `format.named(...)`: namespaced functions, not variables.
            Some(IdedExpr {
                expr: Expr::Ident(name),
                ..
            }) if !self.scopes.iter().any(|(n, _)| n == name) => Some(Ty::Dyn),
            Some(t) => Some(self.ty(t)),
            None => None,
        };
        if let Some(ty) = self.macro_like(call) {
            return ty;
        }
        let args: Vec<Ty<'a>> = call.args.iter().map(|a| self.ty(a)).collect();
        match (f, target.as_ref(), args.as_slice()) {
            (operators::INDEX, None, [operand, _]) => self.index(call, operand),
            (
                operators::EQUALS
                | operators::NOT_EQUALS
                | operators::LESS
                | operators::LESS_EQUALS
                | operators::GREATER
                | operators::GREATER_EQUALS,
                None,
                [l, r],
            ) => {
                if let (Some(lk), Some(rk)) = (l.kind(), r.kind())
                    && lk != rk
                {
                    let problem = self.at(self.offset(id), format!("cannot compare {l} with {r}"));
                    self.problems.push(problem);
                }
                Ty::Bool
            }
            (
                operators::ADD
                | operators::SUBSTRACT
                | operators::MULTIPLY
                | operators::DIVIDE
                | operators::MODULO,
                None,
                [l, r],
            ) => self.arithmetic(id, f, l, r),
            (operators::NEGATE, None, [x]) if x.kind() == Some("number") => x.clone(),
            (operators::CONDITIONAL, None, [_, a, b]) if a == b => a.clone(),
            (
                operators::LOGICAL_AND
                | operators::LOGICAL_OR
                | operators::LOGICAL_NOT
                | operators::NOT_STRICTLY_FALSE
                | operators::IN,
                None,
                _,
            ) => Ty::Bool,
            ("size", _, _) => Ty::Int,
            ("int", None, [_]) => Ty::Int,
            ("uint", None, [_]) => Ty::Uint,
            ("double", None, [_]) => Ty::Double,
            ("string", None, [_]) => Ty::String,
            ("bool", None, [_]) => Ty::Bool,
            ("bytes", None, [_]) => Ty::Bytes,
            ("timestamp", None, [_]) => Ty::Timestamp,
            ("duration", None, [_]) => Ty::Duration,
            ("type", None, [_]) => Ty::Type,
            ("matches", None, [_, _]) => Ty::Bool,
            (_, Some(Ty::String), _) => string_method(f),
            _ => Ty::Dyn,
        }
    }

    /// Macros this parser does not expand (`cel.bind(x, init, body)`, `optMap(v, ...)`,
    /// `sortBy(e, ...)`) declare variables with a bare identifier argument: those are bound
    /// (`cel.bind`'s to its initialiser, others to `dyn`) for the arguments after them.
    fn macro_like(&mut self, call: &CallExpr) -> Option<Ty<'a>> {
        let (last, leading) = call.args.split_last()?;
        let names: Vec<&String> = leading
            .iter()
            .filter_map(|a| match &a.expr {
                Expr::Ident(name)
                    if !TYPE_NAMES.contains(&name.as_str())
                        && !self.scopes.iter().any(|(n, _)| n == name) =>
                {
                    Some(name)
                }
                _ => None,
            })
            .collect();
        if names.is_empty() || call.func_name.starts_with(['_', '@', '!', '-']) {
            return None;
        }
        let bind = call.func_name == "bind" && leading.len() == 2;
        let init = if bind { self.ty(&leading[1]) } else { Ty::Dyn };
        let vars: Vec<(&String, Ty<'a>)> = names.into_iter().map(|n| (n, init.clone())).collect();
        Some(self.scoped(&vars, |w| {
            if bind {
                return w.ty(last);
            }
            for arg in leading.iter().filter(|a| !matches!(a.expr, Expr::Ident(_))) {
                w.ty(arg);
            }
            w.ty(last);
            Ty::Dyn
        }))
    }

    /// `operand[key]`: an object indexed by a string literal must have that property.
    fn index(&mut self, call: &CallExpr, operand: &Ty<'a>) -> Ty<'a> {
        match operand {
            Ty::List(elem) => (**elem).clone(),
            Ty::Map(value) => (**value).clone(),
            Ty::Object(_) => match &call.args[1].expr {
                Expr::Literal(LiteralValue::String(name)) => {
                    let name: &str = name;
                    match operand.field(name) {
                        Field::Found(ty) => ty,
                        _ => {
                            let problem = self.at(
                                self.offset(call.args[1].id),
                                format!("no such field \"{name}\""),
                            );
                            self.problems.push(problem);
                            Ty::Dyn
                        }
                    }
                }
                _ => Ty::Dyn,
            },
            _ => Ty::Dyn,
        }
    }

    /// CEL's arithmetic overloads: numbers with numbers, and `+` for strings, bytes, lists
    /// and time; anything else between two known kinds has no overload.
    fn arithmetic(&mut self, id: u64, f: &str, l: &Ty<'a>, r: &Ty<'a>) -> Ty<'a> {
        let (Some(lk), Some(rk)) = (l.kind(), r.kind()) else {
            return Ty::Dyn;
        };
        let result = match (f, lk, rk) {
            (_, "number", "number") => Some(if l == r { l.clone() } else { Ty::Dyn }),
            (operators::ADD, "string", "string") => Some(Ty::String),
            (operators::ADD, "bytes", "bytes") => Some(Ty::Bytes),
            (operators::ADD, "list", "list") => Some(if l == r {
                l.clone()
            } else {
                Ty::List(Box::new(Ty::Dyn))
            }),
            (operators::ADD, "timestamp", "duration")
            | (operators::ADD, "duration", "timestamp")
            | (operators::SUBSTRACT, "timestamp", "duration") => Some(Ty::Timestamp),
            (operators::ADD | operators::SUBSTRACT, "duration", "duration")
            | (operators::SUBSTRACT, "timestamp", "timestamp") => Some(Ty::Duration),
            _ => None,
        };
        result.unwrap_or_else(|| {
            let op = f.trim_matches('_');
            let problem = self.at(
                self.offset(id),
                format!("no operator \"{op}\" for {l} and {r}"),
            );
            self.problems.push(problem);
            Ty::Dyn
        })
    }

    fn comprehension(&mut self, c: &ComprehensionExpr) -> Ty<'a> {
        let range = self.ty(&c.iter_range);
        let (key, value) = range.iteration();
        let mut vars = Vec::new();
        match &c.iter_var2 {
            Some(second) => {
                vars.push((&c.iter_var, key));
                vars.push((second, value));
            }
            // One variable ranges over a list's elements or a map's keys.
            None => vars.push((
                &c.iter_var,
                if matches!(range, Ty::List(_)) {
                    value
                } else {
                    key
                },
            )),
        }
        let accu = self.ty(&c.accu_init);
        vars.push((&c.accu_var, accu));
        self.scoped(&vars, |w| {
            w.ty(&c.loop_cond);
            w.ty(&c.loop_step);
            w.ty(&c.result)
        })
    }

    fn list(&mut self, list: &ListExpr) -> Ty<'a> {
        let elems: Vec<Ty<'a>> = list.elements.iter().map(|e| self.ty(e)).collect();
        match elems.split_first() {
            Some((first, rest)) if rest.iter().all(|t| t == first) => {
                Ty::List(Box::new(first.clone()))
            }
            _ => Ty::List(Box::new(Ty::Dyn)),
        }
    }

    fn scoped<T>(&mut self, vars: &[(&String, Ty<'a>)], body: impl FnOnce(&mut Self) -> T) -> T {
        let depth = self.scopes.len();
        self.scopes
            .extend(vars.iter().map(|(n, t)| ((*n).clone(), t.clone())));
        let out = body(self);
        self.scopes.truncate(depth);
        out
    }

    /// The character offset the parser recorded for a node (a selection's is its `.`).
    fn offset(&self, id: u64) -> usize {
        self.info
            .offset_for(id)
            .map_or(0, |(start, _)| start as usize)
    }

    /// Where `field` is written after its operand: the parser only records the `.` (or, for
    /// `has()`, the parenthesis), so look for the name preceded by `.` or `.?`.
    fn field_offset(&self, id: u64, operand_id: u64, field: &str) -> usize {
        let start = self.offset(id).max(self.offset(operand_id) + 1);
        let name: Vec<char> = field.chars().collect();
        (start..self.chars.len())
            .find(|&i| {
                self.chars[i..].starts_with(&name)
                    && self.chars[..i]
                        .iter()
                        .rev()
                        .find(|c| !c.is_whitespace() && **c != '?')
                        == Some(&'.')
            })
            .unwrap_or_else(|| self.offset(id))
    }

    fn at(&self, offset: usize, message: String) -> Problem {
        let before = &self.chars[..offset.min(self.chars.len())];
        let line = 1 + before.iter().filter(|c| **c == '\n').count();
        let column = 1 + before.iter().rev().take_while(|c| **c != '\n').count();
        Problem {
            line,
            column,
            message,
        }
    }
}

fn literal<'a>(lit: &LiteralValue) -> Ty<'a> {
    match lit {
        LiteralValue::Boolean(_) => Ty::Bool,
        LiteralValue::Bytes(_) => Ty::Bytes,
        LiteralValue::Double(_) => Ty::Double,
        LiteralValue::Int(_) => Ty::Int,
        LiteralValue::Null => Ty::Null,
        LiteralValue::String(_) => Ty::String,
        LiteralValue::UInt(_) => Ty::Uint,
    }
}

/// Result types of the string functions (CEL standard library and Kubernetes' strings
/// extension) on a string receiver.
fn string_method<'a>(f: &str) -> Ty<'a> {
    match f {
        "startsWith" | "endsWith" | "contains" | "matches" => Ty::Bool,
        "lowerAscii" | "upperAscii" | "trim" | "replace" | "substring" | "charAt" => Ty::String,
        "indexOf" | "lastIndexOf" => Ty::Int,
        "split" => Ty::List(Box::new(Ty::String)),
        _ => Ty::Dyn,
    }
}
