// dynalite on loopback in memory, for bench/dynalite-process.ts; tells its parent the port.
import dynalite from 'dynalite';

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
// Idle keep-alive connections stay open, as in the embedded dynalite (why: src/local/loopback-server.ts);
// this process exits when its parent lets go, so no close has to wait for one.
server.keepAliveTimeout = 0;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
