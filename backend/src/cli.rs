//! The command line, shared by the `onewindow` binary and the test server binary.

use crate::config::Config;
use crate::error::AppError;
use clap::{Parser, Subcommand};
use ow_shared::staff::{CreateStaffRequest, Role, validate_create_staff};
use ow_shared::{ErrorCode, Lang};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "onewindow", about = "OneWindow 一窗通办 server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the built app.
    Serve(Box<Config>),
    /// Copy the database to a new file, consistent while the server runs (see README,
    /// "Operations", for restoring it).
    Backup(Backup),
    /// Create an administrator account (the first one, on a new installation). The
    /// password is read from OW_ADMIN_PASSWORD or, if unset, from one line of stdin.
    CreateAdmin(CreateAdmin),
}

/// `backup`'s flags.
#[derive(clap::Args)]
struct Backup {
    /// The server's SQLite database file.
    #[arg(long, env = "OW_DB", default_value = "data/onewindow.sqlite")]
    db: PathBuf,
    /// The copy to write; must not exist yet.
    #[arg(long)]
    to: PathBuf,
}

/// `create-admin`'s flags.
#[derive(clap::Args)]
struct CreateAdmin {
    /// The SQLite database file (created and migrated if missing).
    #[arg(long, env = "OW_DB", default_value = "data/onewindow.sqlite")]
    db: PathBuf,
    /// The user name to sign in with: 3–32 of A-Z a-z 0-9 _ . -
    #[arg(long)]
    username: String,
    /// The name the console shows.
    #[arg(long)]
    display_name: String,
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let command = Cli::parse().command;
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match command {
        Command::Serve(config) => match runtime.block_on(crate::serve(*config)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!(error = %e, "the server failed");
                ExitCode::FAILURE
            }
        },
        Command::Backup(args) => match crate::db::backup(&args.db, &args.to) {
            Ok(cases) => {
                eprintln!("已备份到 {}（{cases} 件诉求）", args.to.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("备份失败：{e}");
                ExitCode::FAILURE
            }
        },
        Command::CreateAdmin(args) => {
            let password = match admin_password() {
                Ok(password) => password,
                Err(e) => {
                    eprintln!("无法读取密码：{e}");
                    return ExitCode::FAILURE;
                }
            };
            match runtime.block_on(create_admin(args, password)) {
                Ok(username) => {
                    eprintln!("已创建系统管理员账号 {username}");
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// The password from `OW_ADMIN_PASSWORD`, else the first line of stdin.
fn admin_password() -> std::io::Result<String> {
    if let Ok(password) = std::env::var("OW_ADMIN_PASSWORD") {
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// The account `create-admin` would create, or why not, in zh-CN.
fn admin_request(username: &str, display_name: &str, password: String) -> Result<CreateStaffRequest, String> {
    let request = CreateStaffRequest {
        username: username.into(),
        display_name: display_name.into(),
        role: Some(Role::Admin),
        department_id: None,
        unit_id: None,
        grid_id: None,
        password,
    };
    validate_create_staff(&request).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| {
                let field = match e.field.as_str() {
                    "username" => "用户名",
                    "display_name" => "显示名称",
                    "password" => "密码",
                    other => other,
                };
                let message = match e.code {
                    ErrorCode::BadRequest => "只能包含字母、数字和 _ . -".to_string(),
                    _ => e.message(Lang::Zh),
                };
                format!("{field}：{message}")
            })
            .collect();
        format!("未创建账号。\n{}", lines.join("\n"))
    })
}

/// Validates, opens (and migrates) the database, and creates the account through the
/// writer. Returns the user name, or a zh-CN message.
async fn create_admin(args: CreateAdmin, password: String) -> Result<String, String> {
    let request = admin_request(&args.username, &args.display_name, password)?;
    let db = crate::db::Db::open(&args.db).map_err(|e| format!("无法打开数据库 {}：{e}", args.db.display()))?;
    match crate::auth::accounts::create(&db, request, None).await {
        Ok(account) => Ok(account.username),
        Err(AppError::Client(ErrorCode::UsernameTaken)) => {
            Err(format!("未创建账号：用户名 {} 已被使用。", args.username.trim()))
        }
        Err(e) => Err(format!("未创建账号：{e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::admin_request;

    #[test]
    fn create_admin_refuses_weak_passwords() {
        for weak in ["", "short", "123456789", "county_admin", "COUNTY_ADMIN"] {
            let refused = admin_request("county_admin", "县管理员", weak.into()).unwrap_err();
            assert!(refused.contains("密码至少 10 位，且不能与用户名相同"), "{weak}: {refused}");
        }
        assert!(admin_request("county_admin", "县管理员", "a long passphrase".into()).is_ok());
    }

    #[test]
    fn create_admin_refuses_bad_names() {
        let refused = admin_request("县管理员", "", "a long passphrase".into()).unwrap_err();
        assert!(refused.contains("用户名：只能包含字母、数字和 _ . -"), "{refused}");
        assert!(refused.contains("显示名称：此项必填"), "{refused}");
    }
}
