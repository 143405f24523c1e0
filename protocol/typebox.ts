// The TypeBox builder every protocol schema is written with. It is TypeBox's own, except that an
// object refuses properties it does not declare unless it says otherwise: a body that carries an
// unknown key at any depth is INVALID_BODY, never something a handler may copy into a row. The
// catalogue test walks every schema and fails on an open object, so a schema built elsewhere (or
// opened by hand) is caught too.
import { JavaScriptTypeBuilder, type ObjectOptions, type TObject, type TProperties } from '@sinclair/typebox';

class ClosedTypeBuilder extends JavaScriptTypeBuilder {
  override Object<Properties extends TProperties>(properties: Properties, options?: ObjectOptions): TObject<Properties> {
    return super.Object(properties, { additionalProperties: false, ...options });
  }
}

export const T = new ClosedTypeBuilder();
