// Runs the npm bittorrent-tracker server (HTTP + UDP) on 127.0.0.1 for the interop tests.
// Prints one JSON line {"http":PORT,"udp":PORT} once listening. The test kills it by PID; it also
// exits when its parent (the test host) is gone or after a hard lifetime, so a crashed test never
// leaves it running. (The harness closes our stdin, so stdin cannot be the signal.)
import { Server } from 'bittorrent-tracker'

const lifetimeMs = Number(process.argv[2] || 120000)
const server = new Server({ http: true, udp: true, ws: false, stats: false, trustProxy: false })

server.on('error', err => { console.error('tracker error: ' + err.message) })
server.on('warning', err => { console.error('tracker warning: ' + err.message) })

server.on('listening', () => {
  // 'listening' fires once every socket is bound.
  const http = server.http.address().port
  const udp = server.udp4.address().port
  console.log(JSON.stringify({ http, udp }))
})

server.listen({ http: 0, udp: 0 }, { http: '127.0.0.1', udp: '127.0.0.1', udp6: '::1' })

const stop = () => { server.close(() => process.exit(0)); setTimeout(() => process.exit(0), 1000).unref() }
const parent = process.ppid
setInterval(() => {
  try { process.kill(parent, 0) } catch { stop() }
}, 1000).unref()
setTimeout(stop, lifetimeMs).unref()
