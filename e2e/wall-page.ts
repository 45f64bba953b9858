// Page object of the video wall: locators by data-testid, no assertions.
import type { Locator, Page } from '@playwright/test';

export class WallPage {
  constructor(readonly page: Page) {}
  wall = () => this.page.getByTestId('wall');
  grid = () => this.page.getByTestId('wall-grid');
  tiles = () => this.page.getByTestId('wall-tile');
  tile = (n: number) => this.page.locator(`[data-testid="wall-tile"][data-index="${n}"]`);
  kind = (k: string) => this.page.getByTestId(`layout-kind-${k}`);
  search = () => this.page.getByTestId('camera-search');
  results = () => this.page.getByTestId('camera-results').getByTestId('tree-camera');
  treeSchool = (id: string) => this.page.locator(`[data-testid="tree-school"][data-school-id="${id}"] > button`);
  treeDistricts = () => this.page.getByTestId('tree-district');
  layoutName = () => this.page.getByTestId('layout-name');
  layoutSave = () => this.page.getByTestId('layout-save');
  layoutSelect = () => this.page.getByTestId('layout-select');
  tourToggle = () => this.page.getByTestId('tour-toggle');
  tourEdit = () => this.page.getByTestId('tour-edit');
  tourAddStep = () => this.page.getByTestId('tour-add-step');
  tourSteps = () => this.page.getByTestId('tour-step');
  tourEmpty = () => this.page.getByTestId('tour-empty');
  tourDwell = () => this.page.getByTestId('tour-dwell');
  tourDelete = () => this.page.getByTestId('tour-delete');
  layoutExport = () => this.page.getByTestId('layout-export');
  layoutImportFile = () => this.page.getByTestId('layout-import-file');
  secondDisplay = () => this.page.getByTestId('wall-second-display');
  evidenceToggle = () => this.page.getByTestId('wall-evidence-toggle');
  evidenceRows = () => this.page.getByTestId('evidence-row');
  evidenceViewer = () => this.page.getByTestId('evidence-viewer');
  cameraDot = (cameraId: string) => this.page.locator(`[data-testid="tree-camera"][data-camera-id="${cameraId}"] [data-testid="camera-dot"]`);
  shortcuts = () => this.page.getByTestId('wall-shortcuts');
  notice = () => this.page.getByTestId('wall-notice');
  reason = (tile: Locator) => tile.getByTestId('wall-tile-reason');
  status = (tile: Locator) => tile.getByTestId('wall-tile-status');

  /** Frames shown so far by each tile's video element. */
  frames(): Promise<number[]> {
    return this.tiles().evaluateAll((els) => els.map((e) => e.querySelector('video')?.getVideoPlaybackQuality().totalVideoFrames ?? 0));
  }
}
