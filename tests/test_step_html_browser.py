"""The backward step-through page (``steps_to_html``), opened in a real headless browser.

Debian's Chromium and chromedriver (``apt-get install chromium chromium-driver``), driven by
Selenium (``pip install selenium``), both found on this machine: nothing is downloaded at run
time (Selenium Manager is never asked). Skips, saying why, where any of them is missing.
"""

import os
import shutil
from pathlib import Path

import pytest

import autograd as ag
from autograd import Scalar
from autograd.viz import labels

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

pytestmark = [
    pytest.mark.skipif(shutil.which("dot") is None,
                       reason="graphviz's dot program is not installed (apt-get install graphviz); "
                       "steps_to_html needs it to draw the frames"),
    pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK),
                       reason=f"Chromium is not installed at {CHROMIUM} "
                       "(apt-get install chromium; or set CHROMIUM)"),
    pytest.mark.skipif(not os.access(CHROMEDRIVER, os.X_OK),
                       reason=f"chromedriver is not installed at {CHROMEDRIVER} "
                       "(apt-get install chromium-driver; or set CHROMEDRIVER)"),
]

# What the page's script shows: the counter, and every node of the frame on screen as the list
# of its texts (name, "data ...", "grad ..."), read from the SVG the browser laid out.
SHOWN_NODES = """
const shown = [...document.querySelectorAll(".frame")].filter(
    f => getComputedStyle(f).display !== "none");
return shown.map(f => [...f.querySelectorAll("g.node")].map(
    g => [...g.querySelectorAll("text")].map(t => t.textContent)));
"""


@pytest.fixture(scope="module")
def browser():
    webdriver = pytest.importorskip("selenium.webdriver",
                                    reason="selenium is not installed (pip install selenium)")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.selenium_manager import SeleniumManager

    def no_download(*args, **kwargs):
        raise AssertionError("Selenium Manager was asked for a browser or driver; this test "
                             "must use the installed ones only")

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-extensions", "--window-size=1280,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")  # belt and braces: Selenium Manager stays offline
        patch.setattr(SeleniumManager, "binary_paths", no_download)
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def readme_expression():
    a, b = Scalar(2.0, name="a"), Scalar(-3.0, name="b")
    return a, b, (a * b + a.tanh()) ** 2


def severe(driver):
    """The browser's console errors (uncaught exceptions, failed loads) since the last call."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def leaf_grads(driver):
    """``{name: "grad ..."}`` for the named leaves in the frame on screen; one frame must show."""
    frames = driver.execute_script(SHOWN_NODES)
    assert len(frames) == 1, f"{len(frames)} frames on screen, not one"
    return {texts[0]: texts[-1] for texts in frames[0] if texts and texts[0] in ("a", "b")}


def test_step_through_page_in_a_headless_browser(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    a, b, c = readme_expression()
    steps = list(ag.backward_steps(c))
    n = len(steps)
    assert n == 4
    path = tmp_path / "steps.html"
    ag.steps_to_html(steps, path)
    c.backward()  # the engine's own gradients, to compare with what the last frame shows

    browser.get(Path(path).resolve().as_uri())
    assert severe(browser) == []
    assert browser.title == "Backpropagation, step by step"
    slider = browser.find_element(By.ID, "slider")
    where = browser.find_element(By.ID, "where")
    frames = browser.find_elements(By.CLASS_NAME, "frame")
    assert len(frames) == n and slider.get_attribute("max") == str(n - 1)

    def on_screen():
        """The counter, and the caption of the one frame displayed, which must agree."""
        visible = [k for k, f in enumerate(frames) if f.is_displayed()]
        assert len(visible) == 1, f"frames {visible} are displayed, not one"
        k = visible[0]
        assert slider.get_attribute("value") == str(k)
        assert f"backward step {k + 1} of {n}" in frames[k].text
        assert where.text == f"step {k + 1} of {n}"
        return k

    # Step 1: only the root's operation has run; the leaves' gradients are not known yet.
    assert on_screen() == 0
    assert leaf_grads(browser) == {"a": "grad ?", "b": "grad ?"}

    # Dragging the slider to its right end shows the last step.
    width = slider.size["width"]
    ActionChains(browser).move_to_element_with_offset(slider, -width // 2 + 2, 0).click_and_hold() \
        .move_to_element_with_offset(slider, width // 2 - 2, 0).release().perform()
    assert on_screen() == n - 1

    # The last step shows the leaves' final gradients, as the engine's backward computes them.
    expected = {"a": f"grad {labels.number(a.grad)}", "b": f"grad {labels.number(b.grad)}"}
    assert expected == {"a": "grad 29.5042", "b": "grad -20.1439"}  # the page's format
    assert leaf_grads(browser) == expected

    # Clicking the slider's left end goes back to the first step.
    ActionChains(browser).move_to_element_with_offset(slider, -width // 2 + 2, 0).click().perform()
    assert on_screen() == 0

    # The arrow keys on the focused slider move one step each, and stop at the ends.
    slider.send_keys(Keys.ARROW_RIGHT)
    assert on_screen() == 1
    slider.send_keys(Keys.ARROW_RIGHT)
    assert on_screen() == 2
    slider.send_keys(Keys.ARROW_LEFT)
    assert on_screen() == 1

    # The buttons, and the arrow keys anywhere else on the page, do the same.
    browser.find_element(By.ID, "next").click()
    assert on_screen() == 2
    browser.find_element(By.ID, "back").click()
    assert on_screen() == 1
    body = browser.find_element(By.TAG_NAME, "body")
    for _ in range(n + 2):
        body.send_keys(Keys.ARROW_RIGHT)
    assert on_screen() == n - 1
    assert leaf_grads(browser) == expected
    for _ in range(n + 2):
        body.send_keys(Keys.ARROW_LEFT)
    assert on_screen() == 0

    assert severe(browser) == []
