// Hand-written, committed types for validate-config.generated.js, which tools/build-validator.mjs
// compiles from schema.ts with ajv (standalone, ESM, first error only, messages off).
import type { Spec } from './spec-types.js';

/** The parts of ajv's ErrorObject that the validator fills in. */
export interface ConfigSchemaError {
  /** JSON pointer to the offending value, e.g. "/linux/namespaces/2/type" ("" for the document) */
  instancePath: string;
  /** JSON pointer into the compiled schema; useful only for debugging the schema */
  schemaPath: string;
  /** the keyword that failed: type, required, enum, pattern, minimum, maximum, minItems ... */
  keyword: string;
  /** keyword details: { type }, { missingProperty }, { allowedValues }, { pattern }, { comparison, limit }, { limit } */
  params: Record<string, unknown>;
}

export interface ConfigValidator {
  (data: unknown): data is Spec;
  /** the first error of the last call that returned false; null after a call that passed */
  errors?: ConfigSchemaError[] | null;
}

export declare const validate: ConfigValidator;
export default validate;
