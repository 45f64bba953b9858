// Page objects: locators by data-testid, no assertions.
import type { Page } from '@playwright/test';

export type RoleKey = 'dispatcher' | 'duty_officer' | 'guard';

export class LoginPage {
  constructor(readonly page: Page) {}
  ready = () => this.page.locator('html[data-kuzet-ready="login"]').waitFor({ state: 'attached' });
  username = () => this.page.getByTestId('login-username');
  password = () => this.page.getByTestId('login-password');
  submit = () => this.page.getByTestId('login-submit');
  demoAccount = (role: RoleKey) => this.page.getByTestId(`demo-account-${role}`);
  error = () => this.page.getByTestId('login-error');
  async loginAs(role: RoleKey): Promise<void> {
    await this.ready();
    await this.demoAccount(role).click();
    await this.submit().click();
  }
}

export class ConsolePage {
  constructor(readonly page: Page) {}
  live = () => this.page.locator('html[data-kuzet-ready="live"]').waitFor({ state: 'attached' });
  operatorName = () => this.page.getByTestId('operator-name');
  scopeLabel = () => this.page.getByTestId('scope-label');
  linkState = () => this.page.getByTestId('link-state');
  rejectedCount = () => this.page.getByTestId('rejected-count');
  queue = () => this.page.getByTestId('alert-queue');
  wall = () => this.page.getByTestId('wall-area');
  plan = () => this.page.getByTestId('plan-area');
  alert = (id: string) => this.page.locator(`[data-testid="alert-row"][data-alert-id="${id}"]`);
  alertRows = () => this.page.getByTestId('alert-row');
  ackButton = (id: string) => this.alert(id).getByTestId('alert-ack');
  /**
   * Selects an alert in the queue. Cameras offline fold into one group per school (correlate.ts):
   * given its type and school, the group it may be folded into is opened first.
   */
  async selectAlert(id: string, group?: { type: string; schoolId: string }): Promise<void> {
    const row = this.alert(id);
    if (group) {
      const burst = this.page.locator(`[data-testid="alert-burst"][data-type="${group.type}"][data-school-id="${group.schoolId}"]`);
      await row.or(burst).first().waitFor();
      if (!(await row.isVisible())) await burst.click();
    }
    await row.getByTestId('alert-select').click();
  }
  commandResult = () => this.page.getByTestId('command-result');
  languageSelect = () => this.page.getByTestId('lang-select');
  logout = () => this.page.getByTestId('logout');
}
