// The web client's component tests: how long `waitFor` and `findBy…` wait before failing. The
// default second was too short under the full suite's load, where a component's first render and
// its (faked) server answers compete with the server tests for two cores: two tray tests that
// pass alone in 150 ms once timed out at 1,011 and 1,021 ms. A wait ends as soon as its condition
// holds, so a longer limit costs nothing when things are fast.
import { configure } from '@solidjs/testing-library';

configure({ asyncUtilTimeout: 5000 });
