"""Bringing a model file as a person does: the model menu, its file dialog, the keep box."""


def choose_model_file(app, path):
    """Pick "Your own model…" in the menu and the file in the dialog that opens."""
    with app.page.expect_file_chooser() as chooser:
        app.page.select_option("#model", "own")
    chooser.value.set_files(str(path))


def use_model_file(app, path):
    """Choose the model at `path` and wait until the worker has it."""
    choose_model_file(app, path)
    app.page.wait_for_function("(document.body.dataset.ownModel || '').startsWith('own-')")


def keep_model_file(app, path):
    """Use the model at `path` and keep it on the device for the next visits."""
    use_model_file(app, path)
    app.page.check("#own-keep")
    app.page.wait_for_function("document.body.dataset.ownKept === 'yes'")
