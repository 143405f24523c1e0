// For the client's tests: a screen rendered as the app's router shows it, at "/".
import { MemoryRouter, Route } from '@solidjs/router';
import { render } from '@solidjs/testing-library';
import type { Component } from 'solid-js';

export function renderScreen(screen: Component) {
  return render(() => (
    <MemoryRouter>
      <Route path="/" component={screen} />
    </MemoryRouter>
  ));
}
