// Attack parameters live in the shared contract (the CLI, the simulator and audit suites validate
// them there); the engine re-exports what it uses.
export {
  FgsmParams,
  BimParams,
  PgdParams,
  PgdL2Params,
  CwLinfParams,
  BoundaryParams,
  HopSkipJumpParams,
  SmoothPgdParams,
  AdaptivePgdParams,
} from '../../src-shared/contract/attacks.ts';
