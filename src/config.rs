//! Configuration files: FIX sessions in TOML, with QuickFIX's setting names in
//! snake_case.
//!
//! ```toml
//! [acceptor]
//! bind = "127.0.0.1"
//! port = 54321
//!
//! [default]                       # applies to every [[session]]
//! begin_string = "FIX.4.4"
//! sender_comp_id = "ISLD"
//! reset_on_logon = true
//! data_dictionary = "../shared/conformance/quickfix/spec/FIX44.xml"
//!
//! [[session]]
//! target_comp_id = "TW44"
//! ```
//!
//! Relative dictionary paths are taken from the working directory, as QuickFIX
//! does, and failing that from the configuration file's directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use fixgate_core::fix::encode::TimePrecision;
use fixgate_core::fix::{Dictionary, ValidationOptions};
use fixgate_core::session::{Role, SessionConfig};
use serde::Deserialize;

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The TOML is invalid or has unknown settings.
    #[error("parse {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// A session lacks a setting it needs.
    #[error("session {index}: missing {setting}")]
    Missing {
        /// Position of the `[[session]]` block.
        index: usize,
        /// The setting.
        setting: &'static str,
    },
    /// A setting has a value fixgate does not accept.
    #[error("session {index}: {setting} = {value:?} is not valid")]
    Invalid {
        /// Position of the `[[session]]` block.
        index: usize,
        /// The setting.
        setting: &'static str,
        /// The value.
        value: String,
    },
    /// A dictionary did not load.
    #[error("dictionary {path}: {message}")]
    Dictionary {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// Session settings as written; every one optional so that `[default]` and a
/// `[[session]]` block can be merged.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionSettings {
    /// `BeginString`.
    pub begin_string: Option<String>,
    /// `SenderCompID`.
    pub sender_comp_id: Option<String>,
    /// `TargetCompID`.
    pub target_comp_id: Option<String>,
    /// `HeartBtInt` (seconds; initiators).
    pub heart_bt_int: Option<u32>,
    /// `ResetOnLogon`.
    pub reset_on_logon: Option<bool>,
    /// `ResetOnLogout`.
    pub reset_on_logout: Option<bool>,
    /// `ResetOnDisconnect`.
    pub reset_on_disconnect: Option<bool>,
    /// `UseDataDictionary`.
    pub use_data_dictionary: Option<bool>,
    /// `DataDictionary` (FIX 4.x).
    pub data_dictionary: Option<PathBuf>,
    /// `TransportDataDictionary` (FIXT 1.1).
    pub transport_data_dictionary: Option<PathBuf>,
    /// `AppDataDictionary` (FIXT 1.1).
    pub app_data_dictionary: Option<PathBuf>,
    /// `DefaultApplVerID` (FIXT 1.1), e.g. `9`.
    pub default_appl_ver_id: Option<String>,
    /// `ValidateFieldsOutOfOrder`.
    pub validate_fields_out_of_order: Option<bool>,
    /// `ValidateFieldsHaveValues`.
    pub validate_fields_have_values: Option<bool>,
    /// `ValidateUserDefinedFields`.
    pub validate_user_defined_fields: Option<bool>,
    /// `AllowUnknownMsgFields`.
    pub allow_unknown_msg_fields: Option<bool>,
    /// `CheckLatency`.
    pub check_latency: Option<bool>,
    /// `MaxLatency` (seconds).
    pub max_latency: Option<u64>,
    /// `CheckCompID`.
    pub check_comp_id: Option<bool>,
    /// `PersistMessages`.
    pub persist_messages: Option<bool>,
    /// `LogonTimeout` (seconds).
    pub logon_timeout: Option<u64>,
    /// `LogoutTimeout` (seconds).
    pub logout_timeout: Option<u64>,
    /// `ResendRequestChunkSize`.
    pub resend_request_chunk_size: Option<u64>,
    /// `SendRedundantResendRequests`.
    pub send_redundant_resend_requests: Option<bool>,
    /// `TimestampPrecision`: 0, 3, 6 or 9 fractional digits of SendingTime.
    pub timestamp_precision: Option<u8>,
    /// `EnableNextExpectedMsgSeqNum`.
    pub enable_next_expected_msg_seq_num: Option<bool>,
    /// Username (553) an initiator sends on Logon.
    pub username: Option<String>,
    /// Password (554) an initiator sends on Logon.
    pub password: Option<String>,
}

impl SessionSettings {
    fn merged_over(self, d: &SessionSettings) -> SessionSettings {
        macro_rules! pick {
            ($($f:ident),*) => { SessionSettings { $($f: self.$f.or_else(|| d.$f.clone()),)* } };
        }
        pick!(
            begin_string,
            sender_comp_id,
            target_comp_id,
            heart_bt_int,
            reset_on_logon,
            reset_on_logout,
            reset_on_disconnect,
            use_data_dictionary,
            data_dictionary,
            transport_data_dictionary,
            app_data_dictionary,
            default_appl_ver_id,
            validate_fields_out_of_order,
            validate_fields_have_values,
            validate_user_defined_fields,
            allow_unknown_msg_fields,
            check_latency,
            max_latency,
            check_comp_id,
            persist_messages,
            logon_timeout,
            logout_timeout,
            resend_request_chunk_size,
            send_redundant_resend_requests,
            timestamp_precision,
            enable_next_expected_msg_seq_num,
            username,
            password
        )
    }
}

/// The `[acceptor]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptorSettings {
    /// Address to listen on (loopback by default).
    #[serde(default = "default_bind")]
    pub bind: String,
    /// Port (`SocketAcceptPort`).
    pub port: u16,
}

fn default_bind() -> String {
    "127.0.0.1".to_string()
}

/// A whole configuration file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// The acceptor's listening socket.
    pub acceptor: Option<AcceptorSettings>,
    /// Settings for every session.
    #[serde(default)]
    pub default: SessionSettings,
    /// One block per session.
    #[serde(default)]
    pub session: Vec<SessionSettings>,
}

/// A session ready to run: its configuration and loaded dictionaries.
#[derive(Clone, Debug)]
pub struct ResolvedSession {
    /// The engine's configuration.
    pub config: SessionConfig,
    /// FIX 4.x dictionary, or FIXT's transport dictionary.
    pub session_dict: Option<Arc<Dictionary>>,
    /// FIXT's application dictionary.
    pub app_dict: Option<Arc<Dictionary>>,
}

impl ConfigFile {
    /// Reads and parses a configuration file.
    ///
    /// # Errors
    /// [`ConfigError::Read`], [`ConfigError::Parse`].
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.into(),
            message: e.to_string(),
        })
    }

    /// Every session, with defaults applied and dictionaries loaded (each file once).
    ///
    /// # Errors
    /// [`ConfigError`].
    pub fn sessions(
        &self,
        role: Role,
        config_dir: &Path,
    ) -> Result<Vec<ResolvedSession>, ConfigError> {
        let mut cache: BTreeMap<PathBuf, Arc<Dictionary>> = BTreeMap::new();
        let mut out = Vec::new();
        for (index, raw) in self.session.iter().enumerate() {
            let s = raw.clone().merged_over(&self.default);
            let need =
                |v: Option<String>, setting| v.ok_or(ConfigError::Missing { index, setting });
            let begin = need(s.begin_string.clone(), "begin_string")?;
            let sender = need(s.sender_comp_id.clone(), "sender_comp_id")?;
            let target = need(s.target_comp_id.clone(), "target_comp_id")?;
            let mut c = SessionConfig::new(&begin, &sender, &target, role);
            let d = ValidationOptions::default();
            c.validation = ValidationOptions {
                check_fields_out_of_order: s
                    .validate_fields_out_of_order
                    .unwrap_or(d.check_fields_out_of_order),
                check_fields_have_values: s
                    .validate_fields_have_values
                    .unwrap_or(d.check_fields_have_values),
                check_user_defined_fields: s
                    .validate_user_defined_fields
                    .unwrap_or(d.check_user_defined_fields),
                allow_unknown_message_fields: s
                    .allow_unknown_msg_fields
                    .unwrap_or(d.allow_unknown_message_fields),
            };
            c.heart_bt_int = s.heart_bt_int.unwrap_or(c.heart_bt_int);
            c.reset_on_logon = s.reset_on_logon.unwrap_or(c.reset_on_logon);
            c.reset_on_logout = s.reset_on_logout.unwrap_or(c.reset_on_logout);
            c.reset_on_disconnect = s.reset_on_disconnect.unwrap_or(c.reset_on_disconnect);
            c.check_latency = s.check_latency.unwrap_or(c.check_latency);
            c.max_latency_s = s.max_latency.unwrap_or(c.max_latency_s);
            c.check_comp_id = s.check_comp_id.unwrap_or(c.check_comp_id);
            c.persist_messages = s.persist_messages.unwrap_or(c.persist_messages);
            c.logon_timeout_s = s.logon_timeout.unwrap_or(c.logon_timeout_s);
            c.logout_timeout_s = s.logout_timeout.unwrap_or(c.logout_timeout_s);
            c.resend_request_chunk_size = s
                .resend_request_chunk_size
                .unwrap_or(c.resend_request_chunk_size);
            c.send_redundant_resend_requests = s
                .send_redundant_resend_requests
                .unwrap_or(c.send_redundant_resend_requests);
            c.default_appl_ver_id = s.default_appl_ver_id.clone();
            c.enable_next_expected_msg_seq_num = s
                .enable_next_expected_msg_seq_num
                .unwrap_or(c.enable_next_expected_msg_seq_num);
            c.username = s.username.clone();
            c.password = s.password.clone();
            c.timestamp_precision = match s.timestamp_precision {
                None | Some(3) => TimePrecision::Millis,
                Some(0) => TimePrecision::Seconds,
                Some(6) => TimePrecision::Micros,
                Some(9) => TimePrecision::Nanos,
                Some(v) => {
                    return Err(ConfigError::Invalid {
                        index,
                        setting: "timestamp_precision",
                        value: v.to_string(),
                    })
                }
            };
            c.use_data_dictionary = s.use_data_dictionary.unwrap_or(true);
            let mut load = |p: &PathBuf| -> Result<Arc<Dictionary>, ConfigError> {
                let path = resolve_path(p, config_dir);
                if let Some(d) = cache.get(&path) {
                    return Ok(d.clone());
                }
                let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Dictionary {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                let d =
                    Arc::new(
                        Dictionary::from_xml(&text).map_err(|e| ConfigError::Dictionary {
                            path: path.clone(),
                            message: e.to_string(),
                        })?,
                    );
                cache.insert(path, d.clone());
                Ok(d)
            };
            let (session_dict, app_dict) = if !c.use_data_dictionary {
                (None, None)
            } else if c.is_fixt() {
                let t = s
                    .transport_data_dictionary
                    .as_ref()
                    .map(&mut load)
                    .transpose()?;
                let a = s.app_data_dictionary.as_ref().map(&mut load).transpose()?;
                (t, a)
            } else {
                (s.data_dictionary.as_ref().map(&mut load).transpose()?, None)
            };
            if c.use_data_dictionary && session_dict.is_none() {
                c.use_data_dictionary = false;
            }
            out.push(ResolvedSession {
                config: c,
                session_dict,
                app_dict,
            });
        }
        Ok(out)
    }
}

/// `p` as given when it exists from the working directory, else relative to the
/// configuration file's directory.
fn resolve_path(p: &Path, config_dir: &Path) -> PathBuf {
    if p.is_absolute() || p.exists() {
        p.to_path_buf()
    } else {
        config_dir.join(p)
    }
}
