import Hummingbird
import Mustache
import Prometheus
import XunchaStore
