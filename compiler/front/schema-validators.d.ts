/** The precompiled validators of `schemas/models.schema.json` and `schemas/config.schema.json`. */
import type { ValidateFunction } from 'ajv';

export declare const models: ValidateFunction;
export declare const config: ValidateFunction;
