// Writes the conformance vectors (protocol/conformance/vectors.json) from the codec and the catalogue.
import { vectorsText } from '../protocol/conformance/vectors.ts';

await Bun.write(new URL('../protocol/conformance/vectors.json', import.meta.url), vectorsText());
