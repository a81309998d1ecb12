//! A blocking QMP and guest-agent client.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{Read, Write};
use std::marker::PhantomData;
use std::net::{TcpStream, ToSocketAddrs};
#[cfg(unix)]
use std::os::unix::net::UnixStream;
use std::path::Path;

use serde_json::{json, Value};

use super::protocol::{
    arguments, classify, is_agent_delimiter, reply_id, request_bytes, returns, ClientError,
    CommandError, Exec, Greeting, Incoming, RawEvent,
};
use super::reader::{is_retryable, MessageReader, ReadError};
use crate::command::{Command, EventSet};

/// A request sent and not yet waited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestId(pub u64);

/// A typed request sent with [`Client::send`].
#[derive(Debug)]
pub struct Pending<C> {
    pub id: RequestId,
    _command: PhantomData<fn() -> C>,
}

type BoxRead = Box<dyn Read + Send>;
type BoxWrite = Box<dyn Write + Send>;

/// A blocking client for a QMP monitor or a guest agent.
///
/// Requests carry an `id`, so several can be sent before their replies
/// are read ([`Client::send`], then [`Client::wait`] in any order);
/// [`Client::execute`] does both. Events that arrive meanwhile are kept
/// until [`Client::next_event`] or [`Client::take_events`] takes them
/// (a client that never takes them should call `take_events` now and
/// then, as QEMU may send many).
///
/// Nothing blocks forever on a dead peer: end of input fails every
/// request with [`ClientError::Closed`], and input that is not QMP with
/// [`ClientError::Protocol`], after which the client refuses further
/// requests. For a peer that is alive but silent, set a read timeout on
/// the stream and build the client with [`Client::qmp`]: a request then
/// fails with [`ClientError::Io`] of kind `WouldBlock` or `TimedOut`, and
/// the client stays usable.
pub struct Client {
    reader: MessageReader<BoxRead>,
    writer: BoxWrite,
    next_id: u64,
    waiting: HashSet<u64>,
    replies: HashMap<u64, Result<Value, CommandError>>,
    events: VecDeque<RawEvent>,
    greeting: Option<Greeting>,
    agent: bool,
    broken: Option<String>,
    eof: bool,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("greeting", &self.greeting)
            .field("agent", &self.agent)
            .field("waiting", &self.waiting)
            .finish_non_exhaustive()
    }
}

impl Client {
    fn new(reader: BoxRead, writer: BoxWrite, agent: bool) -> Self {
        Client {
            reader: MessageReader::new(reader),
            writer,
            next_id: 1,
            waiting: HashSet::new(),
            replies: HashMap::new(),
            events: VecDeque::new(),
            greeting: None,
            agent,
            broken: None,
            eof: false,
        }
    }

    /// Opens a QMP session on the two halves of a stream: reads the
    /// greeting and negotiates no capability.
    pub fn qmp(
        reader: impl Read + Send + 'static,
        writer: impl Write + Send + 'static,
    ) -> Result<Self, ClientError> {
        Self::qmp_with_capabilities(reader, writer, &[])
    }

    /// Like [`Client::qmp`], enabling the given capabilities (`oob`).
    pub fn qmp_with_capabilities(
        reader: impl Read + Send + 'static,
        writer: impl Write + Send + 'static,
        capabilities: &[&str],
    ) -> Result<Self, ClientError> {
        let mut client = Client::new(Box::new(reader), Box::new(writer), false);
        let first = client.read_message()?.ok_or(ClientError::Closed)?;
        client.greeting = Some(Greeting::from_message(&first)?);
        let args = if capabilities.is_empty() {
            Value::Null
        } else {
            json!({ "enable": capabilities })
        };
        client.execute_raw("qmp_capabilities", args)?;
        Ok(client)
    }

    /// Connects to a QMP monitor's UNIX socket.
    #[cfg(unix)]
    pub fn connect_unix(path: impl AsRef<Path>) -> Result<Self, ClientError> {
        let stream = UnixStream::connect(path)?;
        Self::qmp(stream.try_clone()?, stream)
    }

    /// Connects to a QMP monitor's TCP socket.
    pub fn connect_tcp(addr: impl ToSocketAddrs) -> Result<Self, ClientError> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        Self::qmp(stream.try_clone()?, stream)
    }

    /// A guest-agent session: no greeting, no negotiation. Call
    /// [`Client::sync`] first when the channel may hold a previous
    /// client's leftovers.
    pub fn guest_agent(
        reader: impl Read + Send + 'static,
        writer: impl Write + Send + 'static,
    ) -> Self {
        Client::new(Box::new(reader), Box::new(writer), true)
    }

    /// Connects to a guest agent's UNIX socket.
    #[cfg(unix)]
    pub fn guest_agent_unix(path: impl AsRef<Path>) -> Result<Self, ClientError> {
        let stream = UnixStream::connect(path)?;
        Ok(Self::guest_agent(stream.try_clone()?, stream))
    }

    /// Connects to a guest agent's TCP socket.
    pub fn guest_agent_tcp(addr: impl ToSocketAddrs) -> Result<Self, ClientError> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        Ok(Self::guest_agent(stream.try_clone()?, stream))
    }

    /// The QMP greeting (`None` for a guest agent).
    pub fn greeting(&self) -> Option<&Greeting> {
        self.greeting.as_ref()
    }

    /// Resynchronizes with a guest agent: sends 0xFF, which makes the
    /// agent drop any partial input, then `guest-sync-delimited` with a
    /// fresh token, and waits for that token to come back; replies to
    /// anything sent before are dropped.
    pub fn sync(&mut self) -> Result<(), ClientError> {
        let token = self.next_id;
        self.write(b"\xff")?;
        let id = self.send_raw("guest-sync-delimited", json!({ "id": token }))?;
        let ret = self.wait_raw(id)?;
        if ret.as_u64() != Some(token) {
            return Err(ClientError::Protocol(format!(
                "guest-sync-delimited returned {ret}, expected {token}"
            )));
        }
        self.replies.clear();
        self.waiting.clear();
        Ok(())
    }

    /// Sends a command without waiting for its reply.
    pub fn send_raw(&mut self, name: &str, args: Value) -> Result<RequestId, ClientError> {
        self.send_with(name, args, Exec::InBand)
    }

    /// Sends a command to be run out of band (`exec-oob`; the session
    /// must have enabled `oob`).
    pub fn send_oob_raw(&mut self, name: &str, args: Value) -> Result<RequestId, ClientError> {
        self.send_with(name, args, Exec::OutOfBand)
    }

    fn send_with(&mut self, name: &str, args: Value, exec: Exec) -> Result<RequestId, ClientError> {
        self.check_usable()?;
        let id = self.next_id;
        self.next_id += 1;
        self.write(&request_bytes(name, args, id, exec))?;
        self.waiting.insert(id);
        Ok(RequestId(id))
    }

    /// Sends a typed command without waiting for its reply.
    pub fn send<C: Command>(&mut self, cmd: &C) -> Result<Pending<C>, ClientError> {
        let id = self.send_raw(C::NAME, arguments(cmd)?)?;
        Ok(Pending {
            id,
            _command: PhantomData,
        })
    }

    /// Waits for the reply to a request sent with [`Client::send_raw`];
    /// replies to other requests and events read meanwhile are kept.
    pub fn wait_raw(&mut self, id: RequestId) -> Result<Value, ClientError> {
        loop {
            if let Some(reply) = self.replies.remove(&id.0) {
                return reply.map_err(ClientError::Command);
            }
            if !self.waiting.contains(&id.0) {
                return Err(ClientError::Protocol(format!(
                    "no request with id {} is waiting for its reply",
                    id.0
                )));
            }
            self.pump()?;
        }
    }

    /// Waits for the reply to a typed request.
    pub fn wait<C: Command>(&mut self, pending: Pending<C>) -> Result<C::Returns, ClientError> {
        let value = self.wait_raw(pending.id)?;
        returns::<C>(&value)
    }

    /// Runs a command: its `return` value, or the server's error.
    pub fn execute_raw(&mut self, name: &str, args: Value) -> Result<Value, ClientError> {
        let id = self.send_raw(name, args)?;
        self.wait_raw(id)
    }

    /// Runs a typed command.
    pub fn execute<C: Command>(&mut self, cmd: &C) -> Result<C::Returns, ClientError> {
        let pending = self.send(cmd)?;
        self.wait(pending)
    }

    /// The events received so far, oldest first.
    pub fn take_events(&mut self) -> Vec<RawEvent> {
        self.events.drain(..).collect()
    }

    /// The next event, waiting for one if none has arrived;
    /// [`ClientError::Closed`] when the peer closes.
    pub fn next_event(&mut self) -> Result<RawEvent, ClientError> {
        loop {
            if let Some(ev) = self.events.pop_front() {
                return Ok(ev);
            }
            self.pump()?;
        }
    }

    /// The next event of the schema's event set, skipping events the set
    /// does not have.
    pub fn next_typed_event<E: EventSet>(&mut self) -> Result<E, ClientError> {
        loop {
            if let Some(ev) = self.next_event()?.decode::<E>() {
                return ev;
            }
        }
    }

    /// Events of the schema's event set as they arrive (others are
    /// skipped), until the connection ends.
    pub fn typed_events<E: EventSet>(
        &mut self,
    ) -> impl Iterator<Item = Result<E, ClientError>> + '_ {
        std::iter::from_fn(move || match self.next_typed_event::<E>() {
            Err(ClientError::Closed) => None,
            other => Some(other),
        })
    }

    /// Events as they arrive, until the connection ends (the iterator
    /// then yields nothing more).
    pub fn events(&mut self) -> impl Iterator<Item = Result<RawEvent, ClientError>> + '_ {
        std::iter::from_fn(move || match self.next_event() {
            Err(ClientError::Closed) => None,
            other => Some(other),
        })
    }

    fn check_usable(&self) -> Result<(), ClientError> {
        match &self.broken {
            Some(why) => Err(ClientError::Protocol(why.clone())),
            None if self.eof => Err(ClientError::Closed),
            None => Ok(()),
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), ClientError> {
        self.writer.write_all(bytes)?;
        self.writer.flush()?;
        Ok(())
    }

    fn read_message(&mut self) -> Result<Option<Value>, ClientError> {
        loop {
            match self.reader.read_message() {
                None => {
                    self.eof = true;
                    return Ok(None);
                }
                Some(Ok(v)) => return Ok(Some(v)),
                Some(Err(ReadError::Json(e))) if self.agent && is_agent_delimiter(&e) => {}
                Some(Err(ReadError::Json(e))) => {
                    return Err(self.poison(format!("the peer sent invalid JSON: {}", e.desc())))
                }
                Some(Err(ReadError::Io(e))) => {
                    self.eof = !is_retryable(&e);
                    return Err(ClientError::Io(e));
                }
            }
        }
    }

    fn poison(&mut self, why: String) -> ClientError {
        self.broken = Some(why.clone());
        ClientError::Protocol(why)
    }

    /// Reads one message and files it.
    fn pump(&mut self) -> Result<(), ClientError> {
        self.check_usable()?;
        let Some(msg) = self.read_message()? else {
            return Err(ClientError::Closed);
        };
        match classify(msg) {
            Ok(Incoming::Event(ev)) => self.events.push_back(ev),
            Ok(Incoming::Reply { id, result }) => {
                let id = match reply_id(&id) {
                    Some(id) => id,
                    // A reply without id answers a request the server
                    // could not read; with one request out, it is that
                    // one's.
                    None if id.is_none() && self.waiting.len() == 1 => {
                        self.waiting.iter().copied().next().unwrap_or_default()
                    }
                    None => {
                        let why = format!("a reply the client cannot match: {result:?}");
                        return Err(self.poison(why));
                    }
                };
                if self.waiting.remove(&id) {
                    self.replies.insert(id, result);
                }
            }
            Err(ClientError::Protocol(why)) => return Err(self.poison(why)),
            Err(e) => return Err(e),
        }
        Ok(())
    }
}
