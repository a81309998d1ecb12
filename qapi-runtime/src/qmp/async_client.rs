//! An async QMP and guest-agent client on tokio: one task reads the
//! connection and hands each reply to the request waiting for it, so any
//! number of tasks can run commands at once.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, ToSocketAddrs};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::async_reader::AsyncMessageReader;
use super::protocol::{
    arguments, classify, is_agent_delimiter, reply_id, request_bytes, returns, ClientError,
    CommandError, Exec, Greeting, Incoming, RawEvent,
};
use super::reader::ReadError;
use crate::command::{Command, EventSet};

type BoxWrite = Box<dyn AsyncWrite + Send + Unpin>;
type Waiter = oneshot::Sender<Result<Value, ClientError>>;

/// What the reading task and the callers share.
#[derive(Default)]
struct Shared {
    waiting: HashMap<u64, Waiter>,
    subscribers: Vec<mpsc::UnboundedSender<RawEvent>>,
    /// Why the connection is over, once it is.
    ended: Option<ClientError>,
}

/// An async client for a QMP monitor or a guest agent.
///
/// Cheap to share: every method takes `&self`, so wrap it in an `Arc`
/// and run commands from several tasks at once; replies are matched by
/// `id`. When the peer closes the connection or sends something that is
/// not QMP, every request in flight and every later one fails
/// ([`ClientError::Closed`], [`ClientError::Protocol`]).
pub struct AsyncClient {
    shared: Arc<Mutex<Shared>>,
    writer: tokio::sync::Mutex<BoxWrite>,
    next_id: AtomicU64,
    greeting: Option<Greeting>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for AsyncClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncClient")
            .field("greeting", &self.greeting)
            .finish_non_exhaustive()
    }
}

impl Drop for AsyncClient {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Events as they arrive, from [`AsyncClient::events`].
#[derive(Debug)]
pub struct EventStream {
    rx: mpsc::UnboundedReceiver<RawEvent>,
}

impl EventStream {
    /// The next event; `None` once the connection has ended and every
    /// event received before has been taken.
    pub async fn next(&mut self) -> Option<RawEvent> {
        self.rx.recv().await
    }

    /// The next event of the schema's event set, skipping events the set
    /// does not have.
    pub async fn next_typed<E: EventSet>(&mut self) -> Option<Result<E, ClientError>> {
        loop {
            let ev = self.rx.recv().await?;
            if let Some(decoded) = ev.decode::<E>() {
                return Some(decoded);
            }
        }
    }
}

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    // The lock is never held across code that can panic, so a poisoned
    // lock still guards consistent data.
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

impl AsyncClient {
    fn start<R>(reader: AsyncMessageReader<R>, writer: BoxWrite, agent: bool) -> Self
    where
        R: AsyncRead + Unpin + Send + 'static,
    {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let task = tokio::spawn(read_loop(reader, Arc::clone(&shared), agent));
        AsyncClient {
            shared,
            writer: tokio::sync::Mutex::new(writer),
            next_id: AtomicU64::new(1),
            greeting: None,
            task,
        }
    }

    /// Opens a QMP session on the two halves of a stream: reads the
    /// greeting and negotiates no capability.
    pub async fn qmp<R, W>(reader: R, writer: W) -> Result<Self, ClientError>
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        Self::qmp_with_capabilities(reader, writer, &[]).await
    }

    /// Like [`AsyncClient::qmp`], enabling the given capabilities (`oob`).
    pub async fn qmp_with_capabilities<R, W>(
        reader: R,
        writer: W,
        capabilities: &[&str],
    ) -> Result<Self, ClientError>
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let mut reader = AsyncMessageReader::new(reader);
        let greeting = match reader.next_message().await {
            None => return Err(ClientError::Closed),
            Some(Err(ReadError::Io(e))) => return Err(ClientError::Io(e)),
            Some(Err(ReadError::Json(e))) => {
                return Err(ClientError::Protocol(format!(
                    "the peer sent invalid JSON: {}",
                    e.desc()
                )))
            }
            Some(Ok(msg)) => Greeting::from_message(&msg)?,
        };
        let mut client = Self::start(reader, Box::new(writer), false);
        client.greeting = Some(greeting);
        let args = if capabilities.is_empty() {
            Value::Null
        } else {
            json!({ "enable": capabilities })
        };
        client.execute_raw("qmp_capabilities", args).await?;
        Ok(client)
    }

    /// Connects to a QMP monitor's UNIX socket.
    #[cfg(unix)]
    pub async fn connect_unix(path: impl AsRef<Path>) -> Result<Self, ClientError> {
        let (r, w) = tokio::net::UnixStream::connect(path).await?.into_split();
        Self::qmp(r, w).await
    }

    /// Connects to a QMP monitor's TCP socket.
    pub async fn connect_tcp(addr: impl ToSocketAddrs) -> Result<Self, ClientError> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (r, w) = stream.into_split();
        Self::qmp(r, w).await
    }

    /// A guest-agent session: no greeting, no negotiation.
    pub fn guest_agent<R, W>(reader: R, writer: W) -> Self
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        Self::start(AsyncMessageReader::new(reader), Box::new(writer), true)
    }

    /// Connects to a guest agent's UNIX socket.
    #[cfg(unix)]
    pub async fn guest_agent_unix(path: impl AsRef<Path>) -> Result<Self, ClientError> {
        let (r, w) = tokio::net::UnixStream::connect(path).await?.into_split();
        Ok(Self::guest_agent(r, w))
    }

    /// Connects to a guest agent's TCP socket.
    pub async fn guest_agent_tcp(addr: impl ToSocketAddrs) -> Result<Self, ClientError> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (r, w) = stream.into_split();
        Ok(Self::guest_agent(r, w))
    }

    /// The QMP greeting (`None` for a guest agent).
    pub fn greeting(&self) -> Option<&Greeting> {
        self.greeting.as_ref()
    }

    /// Resynchronizes with a guest agent (see
    /// [`super::Client::sync`]).
    pub async fn sync(&self) -> Result<(), ClientError> {
        let token = self.next_id.load(Ordering::Relaxed);
        self.writer.lock().await.write_all(b"\xff").await?;
        let ret = self
            .execute_raw("guest-sync-delimited", json!({ "id": token }))
            .await?;
        if ret.as_u64() != Some(token) {
            return Err(ClientError::Protocol(format!(
                "guest-sync-delimited returned {ret}, expected {token}"
            )));
        }
        Ok(())
    }

    /// Subscribes to the events that arrive from now on. Subscribe before
    /// sending the command that causes the events you wait for.
    pub fn events(&self) -> EventStream {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut shared = lock(&self.shared);
        // After the end no event comes: the stream ends at once.
        if shared.ended.is_none() {
            shared.subscribers.push(tx);
        }
        EventStream { rx }
    }

    /// Runs a command: its `return` value, or the server's error.
    ///
    /// Dropping the future (a timeout, `select!`) abandons the request;
    /// its reply is discarded when it comes.
    pub async fn execute_raw(&self, name: &str, args: Value) -> Result<Value, ClientError> {
        self.execute_with(name, args, Exec::InBand).await
    }

    /// Runs a command out of band (`exec-oob`; the session must have
    /// enabled `oob`).
    pub async fn execute_oob_raw(&self, name: &str, args: Value) -> Result<Value, ClientError> {
        self.execute_with(name, args, Exec::OutOfBand).await
    }

    async fn execute_with(
        &self,
        name: &str,
        args: Value,
        exec: Exec,
    ) -> Result<Value, ClientError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = oneshot::channel();
        {
            let mut shared = lock(&self.shared);
            if let Some(why) = &shared.ended {
                return Err(why.duplicate());
            }
            shared.waiting.insert(id, tx);
        }
        let bytes = request_bytes(name, args, id, exec);
        let written = {
            let mut w = self.writer.lock().await;
            match w.write_all(&bytes).await {
                Ok(()) => w.flush().await,
                Err(e) => Err(e),
            }
        };
        if let Err(e) = written {
            lock(&self.shared).waiting.remove(&id);
            return Err(ClientError::Io(e));
        }
        // The reading task answers every waiter, if only when it ends; a
        // dropped sender means the task is gone.
        rx.await.unwrap_or(Err(ClientError::Closed))
    }

    /// Runs a typed command.
    pub async fn execute<C: Command>(&self, cmd: &C) -> Result<C::Returns, ClientError> {
        let value = self.execute_raw(C::NAME, arguments(cmd)?).await?;
        returns::<C>(&value)
    }
}

/// Reads the connection until it ends, answering waiters and forwarding
/// events.
async fn read_loop<R: AsyncRead + Unpin>(
    mut reader: AsyncMessageReader<R>,
    shared: Arc<Mutex<Shared>>,
    agent: bool,
) {
    let why = loop {
        let msg = match reader.next_message().await {
            None => break ClientError::Closed,
            Some(Err(ReadError::Io(e))) => break ClientError::Io(e),
            Some(Err(ReadError::Json(e))) if agent && is_agent_delimiter(&e) => continue,
            Some(Err(ReadError::Json(e))) => {
                break ClientError::Protocol(format!("the peer sent invalid JSON: {}", e.desc()))
            }
            Some(Ok(msg)) => msg,
        };
        match classify(msg) {
            Ok(Incoming::Event(ev)) => {
                let mut s = lock(&shared);
                s.subscribers.retain(|tx| tx.send(ev.clone()).is_ok());
            }
            Ok(Incoming::Reply { id, result }) => {
                if let Err(why) = deliver(&shared, id, result) {
                    break why;
                }
            }
            Err(why) => break why,
        }
    };
    let mut s = lock(&shared);
    for (_, tx) in s.waiting.drain() {
        // A waiter that gave up is fine to miss.
        let _ = tx.send(Err(why.duplicate()));
    }
    s.subscribers.clear();
    s.ended = Some(why);
}

fn deliver(
    shared: &Mutex<Shared>,
    id: Option<Value>,
    result: Result<Value, CommandError>,
) -> Result<(), ClientError> {
    let mut s = lock(shared);
    let key = match reply_id(&id) {
        Some(key) => key,
        // A reply without id answers a request the server could not
        // read; with one request out, it is that one's.
        None if id.is_none() && s.waiting.len() == 1 => {
            s.waiting.keys().copied().next().unwrap_or_default()
        }
        None => {
            return Err(ClientError::Protocol(format!(
                "a reply the client cannot match: {result:?}"
            )))
        }
    };
    if let Some(tx) = s.waiting.remove(&key) {
        // The caller may have stopped waiting (its future was dropped).
        let _ = tx.send(result.map_err(ClientError::Command));
    }
    Ok(())
}
