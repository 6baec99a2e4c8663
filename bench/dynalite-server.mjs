// dynalite on loopback in memory, for bench/dynalite-process.ts; tells its parent the port.
import dynalite from 'dynalite';

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
// Idle keep-alive connections stay open, as in src/local/dynalite.ts (why: its keepIdleConnectionsOpen).
server.keepAliveTimeout = 0;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
