"""Write ui/static/ui/nlds.css: the NL Design System CSS our templates use (ui/stylesheet.py).

`make install` runs it; a deployment runs it after `npm ci` and before `collectstatic`. With
--check it writes nothing and fails when the file is missing or out of date.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from integriteit.ui import stylesheet


class Command(BaseCommand):
    help = "Write the pruned NL Design System stylesheet (ui/static/ui/nlds.css)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Fail when the file is missing or out of date."
        )

    def handle(self, *args, check: bool = False, **options):
        base_dir = Path(settings.BASE_DIR)
        output = base_dir / stylesheet.OUTPUT
        try:
            css = stylesheet.build(base_dir)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if check:
            if current != css:
                raise CommandError(f"{output} is out of date: run `manage.py build_css`.")
            return
        if current != css:
            temporary = output.with_suffix(".css.tmp")
            temporary.write_text(css, encoding="utf-8")
            temporary.replace(output)
        self.stdout.write(f"{output.relative_to(base_dir)}: {len(css.encode()) // 1024} kB")
