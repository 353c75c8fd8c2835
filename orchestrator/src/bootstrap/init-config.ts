import type { Spec } from '../config/spec-types.js';
import type { InitConfigFields, InitType } from '../protocol/protocol.js';

/**
 * The JSON line sent after the bootstrap message: shared/protocol.json's initConfig fields (the
 * C side checks the same generated table), with the init type and the spec typed.
 */
export type InitConfig = Omit<InitConfigFields, 'type' | 'spec'> & { type: InitType; spec: Spec };
