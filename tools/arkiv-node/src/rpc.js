/**
 * JSON-RPC 2.0 over HTTP and WebSocket (same port): request parsing,
 * batches, CORS, error mapping and, over WebSocket, eth_subscribe.
 * Nothing a client sends can crash the process: every failure becomes a
 * JSON-RPC error object.
 */
import http from "node:http"
import { WebSocketServer } from "ws"
import { INTERNAL_ERROR, INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, RpcError } from "./errors.js"

/** Largest accepted HTTP request body, in bytes. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024
/** Most requests accepted in one batch. */
export const MAX_BATCH = 1000

/**
 * Handles one parsed JSON-RPC payload (single request or batch).
 * @param {Record<string, (params: unknown[]) => unknown>} methods
 * @param {unknown} payload the parsed JSON body.
 * @param {(err: unknown) => void} onInternalError called for unexpected exceptions.
 * @returns {Promise<object|object[]|null>} the response body, or null when
 *   nothing must be sent back (only notifications).
 */
export async function handlePayload(methods, payload, onInternalError) {
  if (Array.isArray(payload)) {
    if (payload.length === 0) return errorResponse(null, new RpcError(INVALID_REQUEST, "empty batch"))
    if (payload.length > MAX_BATCH) return errorResponse(null, new RpcError(INVALID_REQUEST, `batch too large (limit ${MAX_BATCH})`))
    const out = []
    // Sequential on purpose: transactions in a batch apply in order.
    for (const req of payload) {
      const res = await handleRequest(methods, req, onInternalError)
      if (res) out.push(res)
    }
    return out.length ? out : null
  }
  return handleRequest(methods, payload, onInternalError)
}

async function handleRequest(methods, req, onInternalError) {
  if (!req || typeof req !== "object" || Array.isArray(req)) {
    return errorResponse(null, new RpcError(INVALID_REQUEST, "invalid request: expected an object"))
  }
  const hasId = Object.hasOwn(req, "id")
  const id = hasId ? req.id : null
  if (hasId && id !== null && typeof id !== "string" && typeof id !== "number") {
    return errorResponse(null, new RpcError(INVALID_REQUEST, "invalid request: id must be a string, number or null"))
  }
  if (req.jsonrpc !== "2.0") return errorResponse(id, new RpcError(INVALID_REQUEST, 'invalid request: jsonrpc must be "2.0"'))
  if (typeof req.method !== "string") return errorResponse(id, new RpcError(INVALID_REQUEST, "invalid request: method must be a string"))
  const params = req.params === undefined || req.params === null ? [] : req.params
  let response
  if (!Array.isArray(params)) {
    response = errorResponse(id, new RpcError(INVALID_PARAMS, "params must be an array"))
  } else if (!Object.hasOwn(methods, req.method)) {
    response = errorResponse(id, new RpcError(METHOD_NOT_FOUND, `the method ${req.method} does not exist/is not available`))
  } else {
    try {
      const result = await methods[req.method](params)
      response = { jsonrpc: "2.0", id, result: result === undefined ? null : result }
    } catch (err) {
      if (!(err instanceof RpcError)) onInternalError(err)
      response = errorResponse(id, err)
    }
  }
  return hasId ? response : null
}

/**
 * A JSON-RPC error response.
 * @param {string|number|null} id
 * @param {unknown} err an RpcError (its code/message/data are used) or anything else (-32603).
 * @returns {{jsonrpc: "2.0", id: string|number|null, error: {code: number, message: string, data?: unknown}}}
 */
export function errorResponse(id, err) {
  const error =
    err instanceof RpcError
      ? { code: err.code, message: err.message }
      : { code: INTERNAL_ERROR, message: `internal error: ${err instanceof Error ? err.message : String(err)}` }
  if (err instanceof RpcError && err.data !== undefined) error.data = err.data
  return { jsonrpc: "2.0", id, error }
}

function corsHeaders(req) {
  const h = {
    "Access-Control-Allow-Origin": req.headers.origin || "*",
    "Access-Control-Allow-Methods": "POST, GET, OPTIONS",
    "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] || "content-type",
    "Access-Control-Max-Age": "600",
    Vary: "Origin",
  }
  if (req.headers["access-control-request-private-network"]) h["Access-Control-Allow-Private-Network"] = "true"
  return h
}

/**
 * Creates the HTTP server (not listening yet).
 * @param {object} opts
 * @param {Record<string, (params: unknown[]) => unknown>} opts.methods
 * @param {() => object} opts.status body of `GET /` (a small JSON status object).
 * @param {(err: unknown) => void} opts.onInternalError
 * @returns {http.Server}
 */
export function createRpcServer({ methods, status, onInternalError }) {
  const server = http.createServer((req, res) => {
    const send = (code, body, extra = {}) => {
      if (res.headersSent || res.destroyed) return
      const text = body === null ? "" : JSON.stringify(body)
      res.writeHead(code, { ...corsHeaders(req), ...(body === null ? {} : { "Content-Type": "application/json" }), ...extra })
      res.end(text)
    }
    req.on("error", () => {})
    res.on("error", () => {})
    try {
      if (req.method === "OPTIONS") return send(204, null)
      if (req.method === "GET" || req.method === "HEAD") return send(200, status())
      if (req.method !== "POST") return send(405, errorResponse(null, new RpcError(INVALID_REQUEST, "use POST")), { Allow: "POST, GET, OPTIONS" })
      const chunks = []
      let size = 0
      let tooLarge = false
      req.on("data", (c) => {
        if (tooLarge) return
        size += c.length
        if (size > MAX_BODY_BYTES) {
          tooLarge = true
          send(413, errorResponse(null, new RpcError(INVALID_REQUEST, `request body larger than ${MAX_BODY_BYTES} bytes`)), { Connection: "close" })
          req.resume()
          return
        }
        chunks.push(c)
      })
      req.on("end", async () => {
        if (tooLarge) return
        let payload
        try {
          payload = JSON.parse(Buffer.concat(chunks).toString("utf8"))
        } catch (err) {
          return send(200, errorResponse(null, new RpcError(PARSE_ERROR, `parse error: ${err.message}`)))
        }
        try {
          const body = await handlePayload(methods, payload, onInternalError)
          send(body === null ? 204 : 200, body)
        } catch (err) {
          onInternalError(err)
          send(200, errorResponse(null, err))
        }
      })
    } catch (err) {
      onInternalError(err)
      send(500, errorResponse(null, err))
    }
  })
  server.on("clientError", (err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
    else socket.destroy()
  })
  return server
}

/**
 * Serves JSON-RPC over WebSocket on an HTTP server's port ('upgrade' event):
 * every method (single and batch), plus eth_subscribe / eth_unsubscribe.
 * Bad frames get JSON-RPC errors; the connection stays open.
 * @param {http.Server} server
 * @param {object} opts
 * @param {Record<string, (params: unknown[]) => unknown>} opts.methods
 * @param {ReturnType<typeof import("./subscriptions.js").createSubscriptions>} opts.subscriptions
 * @param {(err: unknown) => void} opts.onInternalError
 * @returns {WebSocketServer}
 */
export function attachWebSocket(server, { methods, subscriptions, onInternalError }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES })
  server.on("upgrade", (req, socket, head) => {
    socket.on("error", () => {})
    try {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req))
    } catch (err) {
      onInternalError(err)
      socket.destroy()
    }
  })
  wss.on("error", (err) => onInternalError(err))
  wss.on("connection", (ws) => {
    const owner = {}
    const send = (obj) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(obj))
    }
    const connMethods = {
      ...methods,
      eth_subscribe: (params) =>
        subscriptions.subscribe(params, (subscription, result) => send({ jsonrpc: "2.0", method: "eth_subscription", params: { subscription, result } }), owner),
      eth_unsubscribe: ([id]) => subscriptions.unsubscribe(id, owner),
    }
    ws.on("error", () => {})
    ws.on("close", () => subscriptions.dropOwner(owner))
    ws.on("message", async (data) => {
      let payload
      try {
        payload = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString("utf8") : data.toString("utf8"))
      } catch (err) {
        return send(errorResponse(null, new RpcError(PARSE_ERROR, `parse error: ${err.message}`)))
      }
      try {
        const body = await handlePayload(connMethods, payload, onInternalError)
        if (body !== null) send(body)
      } catch (err) {
        onInternalError(err)
        send(errorResponse(null, err))
      }
    })
  })
  return wss
}
