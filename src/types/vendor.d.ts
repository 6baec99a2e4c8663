// Type declarations for dependencies that ship none.
// asl-validator ships no type declarations.
declare module 'asl-validator' {
  const validate: (definition: unknown) => { isValid: boolean; errors: unknown[] };
  export default validate;
}

// dynalite ships no type declarations.
declare module 'dynalite' {
  import type { Server } from 'node:http';
  const dynalite: (options?: { path?: string; createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
  export default dynalite;
}
