# qgis_check.py OUT.png LAYER.geojson... — load each layer with the QGIS
# style (.qml) beside it, the way a QGIS user opens our outputs, print what
# QGIS made of the style (renderer, labels) and render the layers together
# to OUT.png. Needs Debian's qgis (python3-qgis); run headless:
#   QT_QPA_PLATFORM=offscreen /usr/bin/python3 bench/qgis_check.py /tmp/q.png out/offices.geojson out/districts.geojson
# The first layer is drawn on top; the map covers the last one.
import sys, os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from qgis.core import QgsApplication, QgsVectorLayer, QgsMapSettings, QgsMapRendererParallelJob, QgsProject
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor
app = QgsApplication([], False)
app.initQgis()
layers = []
for path in sys.argv[2:]:
    lyr = QgsVectorLayer(path, os.path.basename(path), "ogr")
    if not lyr.isValid():
        print("INVALID LAYER", path); continue
    qml = os.path.splitext(path)[0] + ".qml"
    msg, ok = lyr.loadNamedStyle(qml)
    lab = lyr.labeling()
    print(os.path.basename(path), "style ok" if ok else "STYLE FAILED: " + msg,
          "renderer", lyr.renderer().type(), "labels", lyr.labelsEnabled(),
          "labeling", lab.type() if lab else None,
          "field", lab.settings().fieldName if lab else None, "features", lyr.featureCount())
    layers.append(lyr)
    QgsProject.instance().addMapLayer(lyr)
ms = QgsMapSettings()
ms.setLayers(layers)
ms.setBackgroundColor(QColor(255, 255, 255))
ext = layers[-1].extent()
ext.scale(1.05)
ms.setExtent(ext)
ms.setOutputSize(QSize(1400, 1400))
job = QgsMapRendererParallelJob(ms)
job.start(); job.waitForFinished()
job.renderedImage().save(sys.argv[1], "png")
print("rendered", sys.argv[1])
app.exitQgis()
