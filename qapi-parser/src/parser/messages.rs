//! The texts of syntax and directive errors, which releases up to 4.1
//! word differently: capitalised, with double quotes around tokens.

use crate::dialect::{FrontEnd, StrayStyle};
use crate::Dialect;

/// Message texts for one dialect.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Texts {
    legacy: bool,
    mention_null: bool,
    stray: StrayStyle,
}

impl Texts {
    pub(crate) fn new(dialect: &Dialect) -> Self {
        Texts {
            legacy: dialect.front_end == FrontEnd::Legacy,
            mention_null: dialect.parse_msgs_mention_null,
            stray: dialect.stray,
        }
    }

    /// Chooses between the legacy and the modern wording.
    fn pick(self, legacy: &'static str, modern: &'static str) -> &'static str {
        if self.legacy {
            legacy
        } else {
            modern
        }
    }

    pub(crate) fn unterminated(self) -> &'static str {
        self.pick("Missing terminating \"'\"", "missing terminating \"'\"")
    }

    pub(crate) fn unknown_escape(self, ch: &str) -> String {
        format!("{}nknown escape \\{ch}", self.pick("U", "u"))
    }

    pub(crate) fn u_escape_digits(self) -> &'static str {
        "\\u escape needs 4 hex digits"
    }

    pub(crate) fn u_escape_range(self) -> &'static str {
        "For now, \\u escape only supports non-zero values up to \\u007f"
    }

    /// `run` is the stray text from its first character on; legacy
    /// releases name only that character.
    pub(crate) fn stray(self, run: &str) -> String {
        match self.stray {
            StrayStyle::SingleChar => {
                let ch = run.chars().next().map(String::from).unwrap_or_default();
                format!("Stray \"{ch}\"")
            }
            // Up to 8.0 a double quote ends the run too.
            StrayStyle::RunStopAtQuotes => {
                let first = run.chars().next().map_or(0, char::len_utf8);
                let end = run[first..].find('"').map_or(run.len(), |i| first + i);
                format!("stray '{}'", &run[..end])
            }
            StrayStyle::RunStopAtSingleQuote => format!("stray '{run}'"),
        }
    }

    pub(crate) fn expected_brace(self) -> &'static str {
        self.pick("Expected \"{\"", "expected '{'")
    }

    pub(crate) fn expected_key_or_end(self) -> &'static str {
        self.pick("Expected string or \"}\"", "expected string or '}'")
    }

    pub(crate) fn expected_colon(self) -> &'static str {
        self.pick("Expected \":\"", "expected ':'")
    }

    pub(crate) fn duplicate_key(self, key: &str) -> String {
        if self.legacy {
            format!("Duplicate key \"{key}\"")
        } else {
            format!("duplicate key '{key}'")
        }
    }

    pub(crate) fn expected_comma_or_brace(self) -> &'static str {
        self.pick("Expected \",\" or \"}\"", "expected ',' or '}'")
    }

    pub(crate) fn expected_string(self) -> &'static str {
        self.pick("Expected string", "expected string")
    }

    pub(crate) fn expected_list_item(self) -> &'static str {
        if self.mention_null && !self.legacy {
            return "expected '{', '[', ']', string, boolean or 'null'";
        }
        self.pick(
            "Expected \"{\", \"[\", \"]\", string, boolean or \"null\"",
            "expected '{', '[', ']', string, or boolean",
        )
    }

    pub(crate) fn expected_comma_or_bracket(self) -> &'static str {
        self.pick("Expected \",\" or \"]\"", "expected ',' or ']'")
    }

    pub(crate) fn expected_value(self) -> &'static str {
        if self.mention_null && !self.legacy {
            return "expected '{', '[', string, boolean or 'null'";
        }
        self.pick(
            "Expected \"{\", \"[\", string, boolean or \"null\"",
            "expected '{', '[', string, or boolean",
        )
    }

    pub(crate) fn invalid_include(self) -> &'static str {
        self.pick("Invalid 'include' directive", "invalid 'include' directive")
    }

    pub(crate) fn include_not_str(self) -> &'static str {
        self.pick(
            "Value of 'include' must be a string",
            "value of 'include' must be a string",
        )
    }

    pub(crate) fn inclusion_loop(self, name: &str) -> String {
        format!("{}nclusion loop for {name}", self.pick("I", "i"))
    }

    pub(crate) fn unreadable_include(self, incl_fname: &str, strerror: &str) -> String {
        if self.legacy {
            format!("{strerror}: {incl_fname}")
        } else {
            format!("can't read include file '{incl_fname}': {strerror}")
        }
    }

    pub(crate) fn invalid_pragma(self) -> &'static str {
        self.pick("Invalid 'pragma' directive", "invalid 'pragma' directive")
    }

    pub(crate) fn pragma_not_dict(self) -> &'static str {
        self.pick(
            "Value of 'pragma' must be a dictionary",
            "value of 'pragma' must be an object",
        )
    }

    /// Legacy releases word pragma errors as 4.2 does, capitalised.
    pub(crate) fn pragma_error(self, msg: String) -> String {
        if !self.legacy {
            return msg;
        }
        let mut chars = msg.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => msg,
        }
    }

    pub(crate) fn doc_without_symbol(self) -> &'static str {
        self.pick(
            "Expression documentation required",
            "definition documentation required",
        )
    }

    pub(crate) fn doc_not_followed(self, symbol: &str) -> String {
        format!(
            "{}ocumentation for '{symbol}' is not followed by the definition",
            self.pick("D", "d")
        )
    }
}
