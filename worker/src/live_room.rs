//! A live room: one Durable Object per incident worked together, named by a random id and
//! opened by a secret (`room::capability`). Its people's browsers hold WebSockets to it
//! through the Hibernation API, so between messages the object sleeps and costs no duration.
//! Every decision is `crates/room`'s: this object reads, saves and sends.
//!
//! Storage: one row (the secret, the version, the incident in the saved format, the time of
//! the last change), written once per change taken. An alarm ends the room after
//! `room::limits::IDLE_SECONDS` without a change: its row and the object's storage are
//! deleted.

use std::cell::{Cell, RefCell};

use room::limits;
use room::people::{self, Connection};
use room::protocol::{read_client, ClientMessage, Closing, RoomMessage};
use room::rules::{Outcome, Room};
use serde::Deserialize;
use serde_json::json;
use worker::*;

use crate::meter::Meter;
use crate::{log, tick};

/// Internal paths of the object.
pub const OPEN: &str = "/open";
pub const META: &str = "/meta";

#[durable_object]
pub struct RoomObject {
    state: State,
    /// The room as saved, read once per object lifetime: `None` until read.
    memory: RefCell<Option<Option<Saved>>>,
    meter: Meter,
    /// A number for each connection this object accepted, to tell one from another.
    accepted: Cell<u64>,
    /// Seconds without a change before the room ends (`idle_seconds`).
    idle: i64,
}

/// The room and its secret.
#[derive(Clone)]
struct Saved {
    secret: String,
    room: Room,
}

#[derive(Deserialize)]
struct Row {
    secret: String,
    version: i64,
    incident: String,
    last_change: i64,
}

/// `POST /open`: the incident to open the room on, and its secret.
#[derive(Deserialize)]
pub struct OpenRequest {
    pub incident: String,
    pub secret: String,
}

/// What each socket carries through hibernation: its connection and its number.
#[derive(serde::Serialize, Deserialize)]
struct Attachment {
    number: u64,
    connection: Connection,
}

impl DurableObject for RoomObject {
    fn new(state: State, env: Env) -> Self {
        let idle = idle_seconds(&env);
        RoomObject { state, memory: RefCell::new(None), meter: Meter::default(), accepted: Cell::new(0), idle }
    }

    async fn fetch(&self, mut request: Request) -> Result<Response> {
        match (request.method(), request.path().as_str()) {
            (Method::Post, OPEN) => {
                let open: OpenRequest = request.json().await?;
                self.open(&open).await
            }
            (Method::Get, _) if is_upgrade(&request) => self.accept(),
            (Method::Get, META) => Response::from_json(&json!({
                "meter": self.meter.counts(),
                "connections": self.state.get_websockets().len(),
                "version": self.saved().ok().flatten().map(|s| s.room.version),
                "idle_seconds": self.idle,
            })),
            _ => Response::error("no such route in a room", 404),
        }
    }

    async fn websocket_message(&self, ws: WebSocket, message: WebSocketIncomingMessage) -> Result<()> {
        let Some(mut attachment) = ws.deserialize_attachment::<Attachment>()? else {
            return close(&ws, Closing::NotOpened);
        };
        let now_ms = now_ms();
        match attachment.connection.pace.take(now_ms) {
            room::pace::Verdict::Take => {}
            room::pace::Verdict::Refuse => {
                ws.serialize_attachment(&attachment)?;
                return send(&ws, &RoomMessage::Refused { reason: "too many messages: wait a moment".into() });
            }
            room::pace::Verdict::Close => {
                log::warn("room_flood_closed", json!({}));
                return close(&ws, Closing::TooFast);
            }
        }
        ws.serialize_attachment(&attachment)?;
        let text = match message {
            WebSocketIncomingMessage::String(text) => text,
            WebSocketIncomingMessage::Binary(_) => {
                return send(&ws, &RoomMessage::Refused { reason: "the room reads text messages only".into() })
            }
        };
        let message = match read_client(&text) {
            Ok(message) => message,
            Err(unreadable) if attachment.connection.joined => {
                return send(&ws, &RoomMessage::Refused { reason: unreadable.to_string() })
            }
            Err(_) => return close(&ws, Closing::NotOpened),
        };
        match message {
            ClientMessage::Join { secret, name, client } => self.join(&ws, &mut attachment, &secret, &name, &client),
            ClientMessage::Change { .. } if !attachment.connection.joined => close(&ws, Closing::NotOpened),
            ClientMessage::Change { base, incident } => self.change(&ws, &attachment, base, &incident),
        }
    }

    async fn websocket_close(&self, ws: WebSocket, _code: usize, _reason: String, _clean: bool) -> Result<()> {
        let leaving = ws.deserialize_attachment::<Attachment>().ok().flatten().map(|a| a.number);
        let _ = ws.close(Some(1000), Some("bye"));
        self.broadcast_people(leaving, None);
        Ok(())
    }

    async fn websocket_error(&self, ws: WebSocket, _error: Error) -> Result<()> {
        let leaving = ws.deserialize_attachment::<Attachment>().ok().flatten().map(|a| a.number);
        self.broadcast_people(leaving, None);
        Ok(())
    }

    /// Ends the room when it has gone without a change for its idle time; else waits again.
    async fn alarm(&self) -> Result<Response> {
        let now = tick::now();
        // A storage that cannot be read now: tried again in a minute (the platform's own
        // retries of a failed alarm are few, and a room whose alarm is gone never ends).
        let Ok(saved) = self.saved() else {
            self.set_alarm_in(60).await?;
            self.meter.alarm_set();
            return Response::ok("");
        };
        match saved {
            Some(saved) if !saved.room.has_ended_after(now, self.idle) => {
                self.set_alarm_in(saved.room.last_change + self.idle - now).await?;
                self.meter.alarm_set();
            }
            _ => {
                for ws in self.state.get_websockets() {
                    let _ = close(&ws, Closing::Ended);
                }
                self.state.storage().delete_all().await?;
                *self.memory.borrow_mut() = Some(None);
                log::info("room_ended", json!({}));
            }
        }
        Response::ok("")
    }
}

impl RoomObject {
    /// Opens the room on an incident, once: a second opening of the same room is refused.
    async fn open(&self, open: &OpenRequest) -> Result<Response> {
        match self.saved() {
            Ok(None) => {}
            Ok(Some(_)) => return Response::error("this room is already open", 409),
            Err(_) => return Response::error("the room's storage could not be read; try again", 503),
        }
        let now = tick::now();
        let room = match Room::open(&open.incident, now) {
            Ok(room) => room,
            Err(refusal) => return Response::error(format!("the room was not opened: {refusal}"), 422),
        };
        let sql = self.state.storage().sql();
        self.meter.write(
            &sql,
            "CREATE TABLE IF NOT EXISTS room (id INTEGER PRIMARY KEY CHECK (id = 1), secret TEXT NOT NULL, version INTEGER NOT NULL, incident TEXT NOT NULL, last_change INTEGER NOT NULL)",
            Vec::new(),
        )?;
        self.meter.write(
            &sql,
            "INSERT INTO room (id, secret, version, incident, last_change) VALUES (1, ?, ?, ?, ?)",
            vec![open.secret.clone().into(), (room.version as i64).into(), room.incident_token().into(), now.into()],
        )?;
        self.set_alarm_in(self.idle).await?;
        self.meter.alarm_set();
        let version = room.version;
        *self.memory.borrow_mut() = Some(Some(Saved { secret: open.secret.clone(), room }));
        Response::from_json(&json!({ "version": version })).map(|r| r.with_status(201))
    }

    /// A new socket: accepted for hibernation, or accepted and closed with the reason (the
    /// site shows it) when the room is not there or full.
    fn accept(&self) -> Result<Response> {
        let pair = WebSocketPair::new()?;
        let now_ms = now_ms();
        let mut open = 0;
        for ws in self.state.get_websockets() {
            match ws.deserialize_attachment::<Attachment>().ok().flatten() {
                Some(a) if a.connection.is_stale(now_ms) => {
                    let _ = close(&ws, Closing::NoJoin);
                }
                Some(_) => open += 1,
                None => {}
            }
        }
        let refusal = match self.saved() {
            Err(_) => Some(Closing::Unavailable),
            Ok(None) => Some(Closing::NoRoom),
            Ok(Some(_)) if open >= limits::CONNECTIONS => Some(Closing::Full),
            Ok(Some(_)) => None,
        };
        match refusal {
            Some(closing) => {
                // Not kept: accepted only to say why, then closed.
                pair.server.accept()?;
                close(&pair.server, closing)?;
            }
            None => {
                self.state.accept_web_socket(&pair.server);
                let number = self.accepted.get() + 1;
                self.accepted.set(number);
                let number = now_ms.unsigned_abs() * 1000 + number % 1000;
                pair.server.serialize_attachment(&Attachment { number, connection: Connection::new(now_ms) })?;
            }
        }
        Response::from_websocket(pair.client)
    }

    fn join(&self, ws: &WebSocket, attachment: &mut Attachment, secret: &str, name: &str, client: &str) -> Result<()> {
        let saved = match self.saved() {
            Ok(Some(saved)) => saved,
            Ok(None) => return close(ws, Closing::NoRoom),
            Err(_) => return close(ws, Closing::Unavailable),
        };
        if !room::capability::opens(&saved.secret, secret) {
            log::warn("room_wrong_secret", json!({}));
            return close(ws, Closing::NotOpened);
        }
        if attachment.connection.joined {
            return send(ws, &RoomMessage::Refused { reason: "already in the room".into() });
        }
        let client: String = client.chars().take(32).collect();
        // The same tab again (its old connection lost in a network drop): the old one goes.
        let mut others = self.connections();
        if !client.is_empty() {
            for (old, number, connection) in &others {
                if *number != attachment.number && connection.joined && connection.client == client {
                    let _ = close(old, Closing::Replaced);
                }
            }
            others.retain(|(_, number, c)| *number == attachment.number || c.client != client);
        }
        if people::here(others.iter().map(|(_, _, c)| c)).len() >= limits::PEOPLE {
            return close(ws, Closing::Full);
        }
        attachment.connection.joined = true;
        attachment.connection.name = people::clean_name(name);
        attachment.connection.client = client;
        ws.serialize_attachment(&*attachment)?;
        send(ws, &state_message(&saved.room, "", false))?;
        self.broadcast_people(None, Some(&attachment.connection.client));
        Ok(())
    }

    fn change(&self, ws: &WebSocket, attachment: &Attachment, base: u64, incident: &str) -> Result<()> {
        let mut saved = match self.saved() {
            Ok(Some(saved)) => saved,
            Ok(None) => return close(ws, Closing::NoRoom),
            Err(_) => return close(ws, Closing::Unavailable),
        };
        let now = tick::now();
        match saved.room.change(base, incident, &attachment.connection.name, now) {
            Ok(Outcome::Unchanged) => send(ws, &state_message(&saved.room, "", true)),
            Ok(_) => {
                let token = saved.room.incident_token();
                let written = self.meter.write(
                    &self.state.storage().sql(),
                    "UPDATE room SET version = ?, incident = ?, last_change = ? WHERE id = 1",
                    vec![(saved.room.version as i64).into(), token.clone().into(), now.into()],
                );
                if let Err(error) = written {
                    // Not saved (a platform limit reached): the change is refused, and
                    // answered, so its sender tries again rather than waiting for ever.
                    log::error("room_save_failed", json!({ "error": error.to_string() }));
                    send(
                        ws,
                        &RoomMessage::Refused {
                            reason: "the room could not save the change; it will be sent again".into(),
                        },
                    )?;
                    // The room as it was: the change was made on a copy.
                    let unchanged = self.saved().ok().flatten().map_or(saved.room, |s| s.room);
                    return send(ws, &state_message(&unchanged, "", true));
                }
                // Each text made once, whoever it goes to.
                let state = |mine| RoomMessage::State {
                    version: saved.room.version,
                    incident: token.clone(),
                    by: attachment.connection.name.clone(),
                    mine,
                };
                let (theirs, mine) = (state(false).to_json(), state(true).to_json());
                *self.memory.borrow_mut() = Some(Some(saved));
                for (ws, number, connection) in self.connections() {
                    if connection.joined {
                        let _ = ws.send_with_str(if number == attachment.number { &mine } else { &theirs });
                    }
                }
                Ok(())
            }
            Err(refusal) => {
                send(ws, &RoomMessage::Refused { reason: refusal.to_string() })?;
                // The answer to its change: the room's incident, to start again from.
                send(ws, &state_message(&saved.room, "", true))
            }
        }
    }

    /// The alarm, `seconds` from now. (The platform's `set_alarm` takes an i64 as an offset
    /// in milliseconds, not as a time.)
    async fn set_alarm_in(&self, seconds: i64) -> Result<()> {
        self.state.storage().set_alarm(seconds.max(1).saturating_mul(1000)).await
    }

    /// Tells everyone who is here now (leaving out a connection that is closing, and the
    /// replaced connections of a tab that just joined again).
    fn broadcast_people(&self, leaving: Option<u64>, rejoined: Option<&str>) {
        let mut connections: Vec<(WebSocket, u64, Connection)> =
            self.connections().into_iter().filter(|(_, number, _)| Some(*number) != leaving).collect();
        if let Some(client) = rejoined.filter(|c| !c.is_empty()) {
            // Of one tab's connections, the newest stays.
            let newest = connections.iter().filter(|(_, _, c)| c.client == client).map(|(_, n, _)| *n).max();
            connections.retain(|(_, n, c)| c.client != client || Some(*n) == newest);
        }
        let message = RoomMessage::People { here: people::here(connections.iter().map(|(_, _, c)| c)) };
        for (ws, _, connection) in &connections {
            if connection.joined {
                let _ = send(ws, &message);
            }
        }
    }

    /// Every socket with its number and connection.
    fn connections(&self) -> Vec<(WebSocket, u64, Connection)> {
        self.state
            .get_websockets()
            .into_iter()
            .filter_map(|ws| {
                let attachment = ws.deserialize_attachment::<Attachment>().ok().flatten()?;
                Some((ws, attachment.number, attachment.connection))
            })
            .collect()
    }

    /// The room as saved, read from storage once per object lifetime; `Err` when the storage
    /// could not be read (not remembered: the next message tries again).
    fn saved(&self) -> std::result::Result<Option<Saved>, String> {
        if let Some(known) = self.memory.borrow().as_ref() {
            return Ok(known.clone());
        }
        let sql = self.state.storage().sql();
        let query = "SELECT secret, version, incident, last_change FROM room WHERE id = 1";
        let rows: Vec<Row> = match self.meter.read(&sql, query, Vec::new()) {
            Ok(rows) => rows,
            // No table: this object never held a room (a guessed or ended id). Nothing is written.
            Err(error) if error.to_string().contains("no such table") => Vec::new(),
            Err(error) => {
                log::error("room_read_failed", json!({ "error": error.to_string() }));
                return Err(error.to_string());
            }
        };
        let saved = rows.into_iter().next().and_then(|row| {
            let room = Room::restore(u64::try_from(row.version).ok()?, &row.incident, row.last_change).ok()?;
            Some(Saved { secret: row.secret, room })
        });
        *self.memory.borrow_mut() = Some(saved.clone());
        Ok(saved)
    }
}

/// `room::limits::IDLE_SECONDS`; a local run (the tests) may set `ROOM_IDLE_SECONDS` to see a
/// room end in seconds. Never read in a deployment.
fn idle_seconds(env: &Env) -> i64 {
    let local = env.var("ROOM_IDLE_SECONDS").ok().filter(|_| crate::config_source::is_local(env));
    local.and_then(|v| v.to_string().parse::<i64>().ok()).filter(|s| *s > 0).unwrap_or(limits::IDLE_SECONDS)
}

/// Unix milliseconds: a connection's pace counts in them.
fn now_ms() -> i64 {
    Date::now().as_millis() as i64
}

fn is_upgrade(request: &Request) -> bool {
    request.headers().get("Upgrade").ok().flatten().is_some_and(|u| u.eq_ignore_ascii_case("websocket"))
}

fn state_message(room: &Room, by: &str, mine: bool) -> RoomMessage {
    RoomMessage::State { version: room.version, incident: room.incident_token(), by: by.to_string(), mine }
}

fn send(ws: &WebSocket, message: &RoomMessage) -> Result<()> {
    ws.send_with_str(message.to_json())
}

fn close(ws: &WebSocket, closing: Closing) -> Result<()> {
    ws.close(Some(closing.code()), Some(closing.reason()))
}
