"""One APIRouter per area of the workspace; create_app includes them all."""
