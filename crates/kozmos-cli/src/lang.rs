//! The language of the command line's messages.

use super::LangArg;
use kozmos_core::error::Lang;

/// The language for messages: `--lang`, else KOZMOS_LANG, LC_ALL, LC_MESSAGES, LANG, else the
/// system's (`system`: Windows sets none of those variables); German when nothing tells.
pub fn message_lang(
    flag: Option<LangArg>,
    env: impl Fn(&str) -> Option<String>,
    system: impl FnOnce() -> Lang,
) -> Lang {
    match flag {
        Some(LangArg::De) => Lang::De,
        Some(LangArg::En) => Lang::En,
        None => ["KOZMOS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|var| env(var).filter(|v| !v.is_empty()))
            .map_or_else(system, |tag| Lang::from_tag(&tag)),
    }
}

/// German when the user's display language is German (Windows), else English there; elsewhere
/// the locale variables say it, and without them German.
pub fn system_lang() -> Lang {
    const LANG_GERMAN: u16 = 0x07;
    match kozmos_os::user_ui_language() {
        Some(id) if id != LANG_GERMAN => Lang::En,
        _ => Lang::De,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(flag: Option<LangArg>, vars: &[(&str, &str)], system: Lang) -> Lang {
        let env = |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string());
        message_lang(flag, env, || system)
    }

    #[test]
    fn the_flag_then_the_variables_then_the_system_decide() {
        assert_eq!(lang(Some(LangArg::De), &[("KOZMOS_LANG", "en")], Lang::En), Lang::De);
        assert_eq!(
            lang(None, &[("LANG", "de_DE.UTF-8"), ("LC_ALL", "en_GB.UTF-8")], Lang::De),
            Lang::En
        );
        assert_eq!(
            lang(None, &[("KOZMOS_LANG", "de"), ("LC_ALL", "en_GB.UTF-8")], Lang::En),
            Lang::De
        );
        assert_eq!(
            lang(None, &[("LANG", "")], Lang::En),
            Lang::En,
            "an empty variable says nothing"
        );
        // Windows: no variables, the system's display language.
        assert_eq!(lang(None, &[], Lang::En), Lang::En);
        assert_eq!(lang(None, &[], Lang::De), Lang::De);
    }
}
