//! `iim user`, `iim token`, `iim org`: operator commands. They act with the database's authority (whoever
//! can run them can reach the database anyway) and are recorded in the access log as `kommandozeile`.

use anyhow::{Context, bail};
use chrono::Duration;
use clap::{Args, Subcommand};
use iim_domain::Role;
use iim_domain::auftrag::{AnbieterTyp, AuftragArt};
use iim_domain::clock::format_swiss;
use iim_domain::person::Choice;
use iim_store::{NewUser, Store, StoreError};
use std::io::{BufRead, IsTerminal};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. Example: iim user add --username anna.muster --name "Anna Muster" --org sr-olten --roles fallfuehrung
    Add(AddUser),
    /// Set a new password (asked for, or read from standard input with --password-stdin).
    SetPassword {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account; its sessions end at once and its tokens stop working.
    Disable { username: String },
    /// Enable a disabled account again.
    Enable { username: String },
    /// List all accounts.
    List,
}

#[derive(Debug, Args)]
pub struct AddUser {
    /// Login name: lower-case letters, digits, dot, hyphen.
    #[arg(long)]
    username: String,
    /// Full name as shown in the application.
    #[arg(long)]
    name: String,
    /// Organisation code, e.g. sr-olten, gde-2581, aso (see: iim org list).
    #[arg(long)]
    org: String,
    /// Comma-separated roles: fallfuehrung, leitung, integrationsbeauftragte, anbieter, kanton, migrationsamt, admin.
    #[arg(long, value_delimiter = ',')]
    roles: Vec<String>,
    /// Read the password from standard input instead of asking.
    #[arg(long)]
    password_stdin: bool,
    /// Create the account without a password (it can log in once one is set).
    #[arg(long, conflicts_with = "password_stdin")]
    no_password: bool,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for a user; it is shown once. Example: iim token create --user anna.muster --name "Fachsystem"
    Create {
        #[arg(long)]
        user: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
        /// Days until the token expires (0: never).
        #[arg(long, default_value_t = 365)]
        days: u32,
    },
    /// Revoke a token by its number; it stops working at once.
    Revoke { id: i64 },
    /// List tokens (of one user with --user).
    List {
        #[arg(long)]
        user: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// List organisations with their codes.
    List,
    /// Add (or rename) a provider organisation. Example: iim org add-provider anbieter-lernwerk "Lernwerk Olten"
    AddProvider { code: String, name: String },
    /// Set what a provider is and which orders it is accredited for.
    /// Example: iim org accredit anbieter-lernwerk --typ arbeitsmarktintegration praxisassessment integrationscoaching
    Accredit {
        code: String,
        /// arbeitsmarktintegration, gemeindewerk, potenzialerfassungsstelle, sprachschule or verein.
        #[arg(long)]
        typ: String,
        /// praxisassessment, vertiefte_potenzialerfassung, integrationscoaching (none: no orders).
        orders: Vec<String>,
    },
    /// List the providers with their accreditations.
    Providers,
    /// Whether a Sozialregion's closings need the Leitung's approval. Example: iim org closing-approval sr-olten yes
    ClosingApproval {
        code: String,
        #[arg(value_parser = ["yes", "no"])]
        required: String,
    },
}

pub async fn user(command: UserCommand, store: &Store) -> anyhow::Result<()> {
    match command {
        UserCommand::Add(args) => {
            let roles = parse_roles(&args.roles)?;
            let password = if args.no_password { None } else { Some(read_password(args.password_stdin)?) };
            let new = NewUser {
                username: args.username,
                display_name: args.name,
                organisation_code: args.org,
                roles,
                password,
            };
            let created = store.operator().create_user(new).await.map_err(explain)?;
            println!("Benutzer {} angelegt ({}).", created.username, created.organisation);
        }
        UserCommand::SetPassword { username, password_stdin } => {
            let password = read_password(password_stdin)?;
            store.operator().set_password(&username, &password).await.map_err(explain)?;
            println!("Passwort für {username} gesetzt.");
        }
        UserCommand::Disable { username } => {
            store.operator().set_disabled(&username, true).await.map_err(explain)?;
            println!("{username} ist gesperrt.");
        }
        UserCommand::Enable { username } => {
            store.operator().set_disabled(&username, false).await.map_err(explain)?;
            println!("{username} ist entsperrt.");
        }
        UserCommand::List => {
            for user in store.operator().list_users().await? {
                let roles: Vec<&str> = user.roles.iter().map(|r| r.code()).collect();
                let state = if user.disabled {
                    "gesperrt"
                } else if user.has_password {
                    "aktiv"
                } else {
                    "ohne Passwort"
                };
                println!(
                    "{:<28} {:<32} {:<40} {} [{}]",
                    user.username,
                    user.display_name,
                    user.organisation,
                    roles.join(","),
                    state
                );
            }
        }
    }
    store.clone().close().await;
    Ok(())
}

pub async fn token(command: TokenCommand, store: &Store) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create { user, name, days } => {
            let valid_for = (days > 0).then(|| Duration::days(i64::from(days)));
            let (info, secret) = store.operator().create_api_token(&user, &name, valid_for).await.map_err(explain)?;
            println!("Token {} für {} erstellt. Es wird nur jetzt angezeigt:\n\n{secret}\n", info.id, info.username);
            println!("Verwendung: Authorization: Bearer {secret}");
        }
        TokenCommand::Revoke { id } => {
            store.operator().revoke_api_token(id).await.map_err(explain)?;
            println!("Token {id} widerrufen.");
        }
        TokenCommand::List { user } => {
            for token in store.operator().list_api_tokens(user.as_deref()).await? {
                let state = match (token.revoked_at, token.expires_at) {
                    (Some(at), _) => format!("widerrufen {}", format_swiss(at)),
                    (None, Some(until)) => format!("gültig bis {}", format_swiss(until)),
                    (None, None) => "unbefristet".to_owned(),
                };
                println!("{:>5} {:<28} {:<30} {state}", token.id, token.username, token.name);
            }
        }
    }
    store.clone().close().await;
    Ok(())
}

pub async fn org(command: OrgCommand, store: &Store) -> anyhow::Result<()> {
    match command {
        OrgCommand::List => {
            let directory = store.directory();
            let mut organisations: Vec<_> = directory.all().collect();
            organisations.sort_by(|a, b| (a.kind.code(), &a.name).cmp(&(b.kind.code(), &b.name)));
            for organisation in organisations {
                println!("{:<22} {:<13} {}", organisation.code, organisation.kind.code(), organisation.name);
            }
        }
        OrgCommand::AddProvider { code, name } => {
            anyhow::ensure!(code.starts_with("anbieter-"), "Anbieter-Codes beginnen mit «anbieter-».");
            store.operator().upsert_provider(&code, &name).await?;
            println!("Anbieter {code} gespeichert.");
        }
        OrgCommand::Accredit { code, typ, orders } => {
            let typ = AnbieterTyp::from_code(&typ).with_context(|| format!("Anbietertyp «{typ}» gibt es nicht."))?;
            let orders = orders
                .iter()
                .map(|o| AuftragArt::from_code(o).with_context(|| format!("Auftragsart «{o}» gibt es nicht.")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            store.operator().set_provider_profile(&code, typ, &orders).await.map_err(explain)?;
            println!("Anbieter {code}: {}, akkreditiert für {} Auftragsarten.", typ.label(), orders.len());
        }
        OrgCommand::Providers => {
            for provider in store.providers().await? {
                let orders: Vec<&str> = provider.akkreditiert_fuer.iter().map(|a| a.label()).collect();
                let typ = provider.typ.map_or("ohne Typ", |t| t.label());
                println!("{:<28} {:<40} {typ}: {}", provider.code, provider.name, orders.join(", "));
            }
        }
        OrgCommand::ClosingApproval { code, required } => {
            let required = required == "yes";
            store.operator().set_closing_approval(&code, required).await.map_err(explain)?;
            let state = if required { "braucht" } else { "braucht keine" };
            println!("Der Abschluss eines Dossiers von {code} {state} Genehmigung der Leitung.");
        }
    }
    store.clone().close().await;
    Ok(())
}

fn parse_roles(codes: &[String]) -> anyhow::Result<Vec<Role>> {
    codes
        .iter()
        .map(|code| {
            Role::from_code(code).with_context(|| {
                let known: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
                format!("Rolle «{code}» gibt es nicht. Möglich: {}", known.join(", "))
            })
        })
        .collect()
}

fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let first = rpassword::prompt_password("Neues Passwort: ")?;
    let second = rpassword::prompt_password("Nochmals: ")?;
    if first != second {
        bail!("Die beiden Eingaben stimmen nicht überein.");
    }
    Ok(first)
}

/// Turns store refusals into sentences for the operator.
fn explain(error: StoreError) -> anyhow::Error {
    match error {
        StoreError::Invalid(errors) => {
            let lines: Vec<String> = errors.iter().map(|(field, message)| format!("{field}: {message}")).collect();
            anyhow::anyhow!("{}", lines.join("\n"))
        }
        StoreError::NotFound => anyhow::anyhow!("Nicht gefunden."),
        other => other.into(),
    }
}
