// An independent validator of the protocol's JSON Schema document: ajv in strict mode with the
// standard formats, so the document is checked by a library that shares no code with TypeBox.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export interface SchemaValidator {
  /** The validator of `#/$defs/<name>`, or of the whole document (any frame) without a name. */
  (name?: string): ValidateFunction;
  /** ajv's reading of the last failure of `validate`, for messages. */
  errorsOf(validate: ValidateFunction): string;
}

export function schemaValidator(document: Record<string, unknown>): SchemaValidator {
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  addFormats(ajv);
  // The document's own annotations; JSON Schema lets them be, ajv's strict mode wants them named.
  ajv.addVocabulary(['version', 'revision']);
  ajv.addSchema(document);
  const id = document.$id as string;
  const cache = new Map<string, ValidateFunction>();
  const validator = ((name?: string) => {
    const key = name === undefined ? id : `${id}#/$defs/${name}`;
    let validate = cache.get(key);
    if (validate === undefined) {
      validate = ajv.getSchema(key);
      if (validate === undefined) throw new Error(`the schema has no ${key}`);
      cache.set(key, validate);
    }
    return validate;
  }) as SchemaValidator;
  validator.errorsOf = (validate) => ajv.errorsText(validate.errors);
  return validator;
}
